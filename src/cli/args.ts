import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestField } from '../core/config/field-suggestion';
import { unexpandedPathProblem } from '../core/config/unexpanded-path';
import { commandOptions } from './command-options';

/** A usage mistake: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, with its errors turned into UsageError (no stack traces for typos). No
 * command takes positional arguments: a stray one (`toa validate -c cfg data.jsonl`) is a usage
 * error, not something silently left unread.
 */
export function parse<O extends Options>(argv: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: false }>> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(withFlagSuggestion(error as Error & { code?: string }, Object.keys(options)));
  }
  const blank = PATH_FLAGS.find((flag) => (parsed.values as Record<string, unknown>)[flag] === '');
  if (blank !== undefined) throw new UsageError(`--${blank}: is empty (an unset shell variable?); give the path`);
  return parsed;
}

/**
 * The flags that name a file or folder. `-i "$INPUT"` with the variable unset gives "", which the
 * commands would take as a flag left out: validate would skip the input and call the config ok,
 * --out-dir would write beside the config, sim would serve no answer key.
 */
const PATH_FLAGS = ['config', 'input', 'out-dir', 'answers'];

/**
 * `Unknown option '--bugdet' (did you mean --budget?)`: the command's closest flag, as config
 * typos get their field's. A flag of another command is named as such (`--strategies is an
 * option of toa compare`): its closest flag here may be a different one (`--strategy`, 3 edits
 * away, takes one strategy, not a list), and a user who meant the other command needs to know.
 */
function withFlagSuggestion(error: Error & { code?: string }, flags: string[]): string {
  const typed = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '--([^'=]+)'/.exec(error.message)?.[1] : undefined;
  if (typed === undefined) return error.message;
  const elsewhere = Object.entries(commandOptions).filter(([, options]) => Object.hasOwn(options, typed)).map(([name]) => `toa ${name}`);
  const meant = closestField(typed, flags);
  const notes = [elsewhere.length ? `--${typed} is an option of ${listed(elsewhere)}` : '', meant === undefined ? '' : `did you mean --${meant}?`].filter(Boolean);
  return notes.length ? `${error.message} (${notes.join('; ')})` : error.message;
}

/**
 * `unknown command "rnu" (did you mean run?)`: the closest of `commands` (the names main takes:
 * `run`, `help`, `--version`...), by the rule a mistyped flag or config field gets.
 */
export function unknownCommandText(name: string, commands: readonly string[]): string {
  const meant = closestField(name, commands);
  return `unknown command "${name}"${meant === undefined ? '' : ` (did you mean ${meant}?)`}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}

/**
 * A whole number given on the command line, in plain decimal digits (`-` for a negative seed).
 * Number() reads more (`0x10`, `1e3`, `0b1`, ` 20`, `2.0`), which nobody types on purpose for a
 * budget or a seed; such a value is refused, saying the number it would have read, if any.
 * `min`: the least the flag takes, as a value too large to read says its range.
 */
export function intOption(value: string | undefined, name: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name}: must be a whole number, got "${value}"${decimalHint(value, Number.isSafeInteger)}`);
  // -0 is 0: a seed prints as the user would write it.
  const n = Number(value) + 0;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name}: must be a whole number between ${min} and ${Number.MAX_SAFE_INTEGER}, got "${value}"`);
  return n;
}

/** A number given on the command line, in decimal notation (`0.5`, `.5`, `-3`, `1e-3`); not `0x10`, `Infinity`, or blank. */
export function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: must be a number, got "${value}"${decimalHint(value, Number.isFinite)}`);
  return n;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * What a value refused as a number is in plain decimal digits, when Number() reads one there
 * that `fits` (`0x10`: `; write it in decimal digits: 16`); empty when it reads none (`""`, `ten`).
 */
function decimalHint(value: string, fits: (n: number) => boolean): string {
  // Number('') and Number(' ') are 0: an empty value is a mistake, not a zero.
  const n = value.trim() ? Number(value) : NaN;
  return fits(n) ? `; write it in decimal digits: ${n}` : '';
}

/** A play budget given on the command line: a whole number, at least 1. */
export function budgetOption(value: string | undefined): number | undefined {
  const budget = intOption(value, 'budget', 1);
  if (budget !== undefined && budget < 1) throw new UsageError('--budget: must be at least 1');
  return budget;
}

/** A duration or a spread given on the command line: a number, not negative. */
export function nonNegativeOption(value: string | undefined, name: string): number | undefined {
  const n = numberOption(value, name);
  if (n !== undefined && n < 0) throw new UsageError(`--${name}: must not be negative, got ${n}`);
  return n;
}

/** A fault rate given on the command line: a probability, 0 to 1. */
export function probabilityOption(value: string | undefined, name: string): number | undefined {
  const p = numberOption(value, name);
  if (p !== undefined && (p < 0 || p > 1)) throw new UsageError(`--${name}: must be a probability between 0 and 1`);
  return p;
}

/**
 * A path the command writes to (--out-dir, init's --config), as the program gets it: a shell
 * expands `~` and `$HOME` only where it reads them (not quoted, not in `--out-dir=~/data`), and
 * nothing here does, so one left in would make a folder literally named so (see
 * unexpandedPathProblem).
 */
export function pathOption(value: string | undefined, name: string): string | undefined {
  const problem = value === undefined ? undefined : unexpandedPathProblem(value, 'the current folder');
  if (problem !== undefined) throw new UsageError(`--${name}: "${value}" ${problem}`);
  return value;
}
