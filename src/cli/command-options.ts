/**
 * Every toa command's options, in one place: each command parses its own, and a flag given to
 * the wrong command is named as the other's (see withFlagSuggestion). The help lists them all
 * (test/unit/docs).
 */

/** `toa run`'s options. */
export const runOptions = {
  config: { type: 'string', short: 'c' },
  input: { type: 'string', short: 'i' },
  strategy: { type: 'string' },
  budget: { type: 'string' },
  seed: { type: 'string' },
  'out-dir': { type: 'string' },
  fresh: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} as const;

/** `toa compare`'s options. */
export const compareOptions = {
  config: { type: 'string', short: 'c' },
  input: { type: 'string', short: 'i' },
  budget: { type: 'string' },
  seed: { type: 'string' },
  strategies: { type: 'string' },
} as const;

/** `toa validate`'s options. */
export const validateOptions = { config: { type: 'string', short: 'c' }, input: { type: 'string', short: 'i' }, ping: { type: 'boolean', default: false } } as const;

/** `toa init`'s options. */
export const initOptions = { config: { type: 'string', short: 'c' }, providers: { type: 'string' } } as const;

/** `toa sim`'s options. */
export const simOptions = {
  port: { type: 'string', default: '8808' },
  seed: { type: 'string', default: '0' },
  latency: { type: 'string', default: '0' },
  'reward-latency': { type: 'string', default: '0' },
  'reward-scale': { type: 'string' },
  'reward-noise': { type: 'string' },
  answers: { type: 'string' },
  'fault-429': { type: 'string' },
  'fault-500': { type: 'string' },
  'fault-slow': { type: 'string' },
  'fault-cut': { type: 'string' },
  'fault-malformed': { type: 'string' },
  'fault-401': { type: 'string' },
  'fault-402': { type: 'string' },
} as const;

/** The options of each command, by its name on the command line. */
export const commandOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  run: runOptions,
  compare: compareOptions,
  validate: validateOptions,
  init: initOptions,
  sim: simOptions,
};
