import { readFile } from 'node:fs/promises';
import { startSim, UnservedModelError, type SimServer } from '../sim';
import type { RateKey } from '../sim/faults';
import type { SimFaults } from '../sim/types';
import { intOption, nonNegativeOption, numberOption, parse, probabilityOption, UsageError } from './args';
import { simOptions } from './command-options';
import { count } from '../shared/plural';
import { fileErrorText } from '../core/util/file-error';

/** The flag that sets each key limit. */
const KEY_LIMIT_FLAGS = { revokeKeyAfter: 'fault-401', outOfCreditAfter: 'fault-402' } as const;

/** The flag that sets each fault rate. */
const RATE_FLAGS: Record<RateKey, string> = { rate429: 'fault-429', rate500: 'fault-500', rateSlow: 'fault-slow', rateCut: 'fault-cut', rateMalformed: 'fault-malformed' };

type SimValues = ReturnType<typeof parse<typeof simOptions>>['values'];

/** `toa sim`: serves the simulated endpoints until Ctrl-C (or SIGTERM). */
export async function simCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, simOptions);
  // Read first, as before the split: a mistyped fault rate is said before the answer key is read.
  const faults = faultFlags(values);
  const answers = values.answers ? await readAnswerKey(values.answers) : undefined;
  const sim = await startFromFlags(values, faults, answers);
  // Listen before announcing: whoever reads the banner may interrupt at once.
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write(banner(sim, answers && `${count(answers.size, 'math problem')} from ${values.answers}`));
  await interrupted;
  await sim.close();
  return 0;
}

function startFromFlags(values: SimValues, faults: Partial<SimFaults>, answers: Map<string, string> | undefined): Promise<SimServer> {
  const port = portOption(values.port);
  return startSim({
    port,
    seed: intOption(values.seed, 'seed'),
    latencyMs: nonNegativeOption(values.latency, 'latency'),
    rewardLatencyMs: nonNegativeOption(values['reward-latency'], 'reward-latency'),
    rewardScale: numberOption(values['reward-scale'], 'reward-scale'),
    rewardNoise: nonNegativeOption(values['reward-noise'], 'reward-noise'),
    answers,
    faults,
  }).catch((error: unknown) => {
    // Node's "listen EADDRINUSE: address already in use 127.0.0.1:8808" says neither what to do
    // nor that it is most likely the sim the README started in the background earlier.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${port} on 127.0.0.1 is in use (a toa sim started earlier?): stop what holds it, or serve on another with --port`);
    // The sim checks the models a key limit names against those it serves: a flag naming another is the user's to fix.
    if (!(error instanceof UnservedModelError)) throw error;
    throw new UsageError(`--${KEY_LIMIT_FLAGS[error.key as keyof typeof KEY_LIMIT_FLAGS]}: no model "${error.model}" (models: ${error.models.join(', ')})`);
  });
}

/** The faults the flags ask for; a flag not given leaves the sim's default (none). */
function faultFlags(values: SimValues): Partial<SimFaults> {
  const faults: Partial<SimFaults> = {};
  for (const [field, flag] of Object.entries(RATE_FLAGS) as [RateKey, keyof SimValues][]) {
    const rate = probabilityOption(values[flag] as string | undefined, flag);
    if (rate !== undefined) faults[field] = rate;
  }
  if (values['fault-401'] !== undefined) faults.revokeKeyAfter = keyLimitOption(values['fault-401'], KEY_LIMIT_FLAGS.revokeKeyAfter);
  if (values['fault-402'] !== undefined) faults.outOfCreditAfter = keyLimitOption(values['fault-402'], KEY_LIMIT_FLAGS.outOfCreditAfter);
  return faults;
}

/** What `toa sim` serves, and where; `answerKey` says how many math answers it knows, if any. */
function banner(sim: SimServer, answerKey: string | undefined): string {
  return (
    `Simulated endpoints on ${sim.url}\n` +
    `  chat (OpenAI-compatible): ${sim.url}/v1   models: ${sim.models.join(', ')}\n` +
    `  reward (vLLM):            ${sim.url}/classify, ${sim.url}/pooling\n` +
    // Said either way: without a key the agents get math prompts wrong, a reference check scores
    // every answer 0, and the run's flat-reward warning cannot tell that from a wrong config.
    `  answer key:               ${answerKey ?? 'none (math answers are made up: --answers file.jsonl gives the right ones)'}\n` +
    'Ctrl-C to stop.\n'
  );
}

/**
 * An answer key for math prompts, from a JSONL file with `question`/`prompt` and
 * `answer`/`reference` (GSM8K's shape works as is: the final answer follows `#### `).
 */
async function readAnswerKey(file: string): Promise<Map<string, string>> {
  const key = new Map<string, string>();
  // In words, naming the file, as run's input is read (Node's EISDIR named neither); a BOM an
  // editor wrote is no part of the first row.
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new UsageError(`--answers: ${file}: ${fileErrorText(error)}`);
  });
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${file}:${i + 1}: invalid JSON (${(error as Error).message})`);
    }
    const prompt = row.question ?? row.prompt;
    const answer = row.reference ?? row.answer;
    if (typeof prompt !== 'string' || typeof answer !== 'string') {
      throw new UsageError(`${file}:${i + 1}: needs string fields question (or prompt) and answer (or reference)`);
    }
    key.set(prompt, answer.split('####').pop()!.trim());
  });
  return key;
}

/**
 * `sim-small:20,sim-wild:5`: per model, the calls its key gets through (the sim checks that it
 * serves the model). A model given twice is refused: which count was meant is not known.
 */
function keyLimitOption(value: string, name: string): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const part of value.split(',')) {
    const match = /^\s*([^:\s]+)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match) throw new UsageError(`--${name}: expected <model>:<calls>[,<model>:<calls>...], got "${part}"`);
    const model = match[1]!;
    const calls = match[2]!;
    if (Object.hasOwn(limits, model)) throw new UsageError(`--${name}: "${model}" is given twice (${model}:${limits[model]}, ${model}:${calls})`);
    limits[model] = Number(calls);
  }
  return limits;
}

/** A TCP port: 0 (any free one) to 65535. */
function portOption(value: string | undefined): number | undefined {
  const port = intOption(value, 'port');
  if (port !== undefined && (port < 0 || port > 65_535)) throw new UsageError(`--port: must be between 0 and 65535, got ${port}`);
  return port;
}
