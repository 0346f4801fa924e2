import { needsReferences, readPromptRows } from '../core/dataset';
import { ValidationError, type ToaConfig } from '../core/config';
import { compareStrategies } from '../core/run';
import { unlessCancelled } from '../core/util/unless-cancelled';
import type { PromptRow } from '../core/chat';
import type { RunEvent } from '../shared/events';
import type { CompareRow } from '../shared/protocol';
import { STRATEGIES, type StrategyName } from '../shared/tree';
import { budgetOption, intOption, parse, UsageError } from './args';
import { compareOptions } from './command-options';
import { compareTable } from './compare-table';
import { eventLine } from './event-lines';
import { interruptHandler } from './interrupt';
import { quietProgress } from './progress';
import { RetryLines } from '../core/run/retry-lines';
import { openSession } from './session';

/** `toa compare`: TOA and the baselines on the same prompts at the same budget, as a table. */
export async function compareCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, compareOptions);
  if (!values.config || !values.input) throw new UsageError('needs --config <file> and --input <file>');
  const strategies = parseStrategies(values.strategies);
  // Before reading the config and the input: a Ctrl-C with no handler kills the CLI outright.
  const controller = new AbortController();
  const stopOnSignal = interruptHandler(controller, quietProgress());
  const retries = new RetryLines((line) => process.stderr.write(`${line}\n`));
  try {
    return await compare(values.config, values.input, { budget: values.budget, seed: values.seed }, strategies, retries, controller.signal);
  } finally {
    // A comparison that an error ended: its retries are counted before the error is said.
    retries.flush();
    stopOnSignal();
  }
}

/** The comparison, once the command line is read; `signal` is Ctrl-C or SIGTERM from the start. */
async function compare(config: string, input: string, values: { budget?: string; seed?: string }, strategies: StrategyName[], retries: RetryLines, signal: AbortSignal): Promise<number> {
  // Each strategy compared brings its notes (TOA's width and tau, MoA's layers); the concurrency
  // note counts TOA's agents when TOA is among them.
  const session = await openSession(
    config,
    { strategy: strategies.includes('toa') ? 'toa' : strategies[0], budget: budgetOption(values.budget), seed: intOption(values.seed, 'seed') },
    (n) => retries.notice(n),
    strategies,
  );
  session.notes.forEach((note) => process.stderr.write(`note: ${note}\n`));
  session.warnings.forEach((warning) => process.stderr.write(`warning: ${warning}\n`));
  const rows = await readAll(input, session.config, signal);
  if (rows.length === 0 && !signal.aborted) throw new ValidationError([{ file: input, path: '', message: 'has no prompts to compare on' }]);
  const result = await compareStrategies({ config: session.config, rows, strategies, agents: session.agents, reward: session.reward, signal, onEvent: progressLines(retries) });
  retries.flush();
  if (result.length) process.stdout.write(`${compareTable(result)}\n`);
  if (signal.aborted) {
    process.stderr.write(`cancelled: ${cancelledWhat(strategies, result)}\n`);
    return 130;
  }
  return result.some((r) => r.failed > 0) ? 1 : 0;
}

/**
 * Every strategy sees the same prompts, so they are read once (compare is for small selections).
 * A cancel ends the read at once: the comparison then starts cancelled and compares nothing.
 */
async function readAll(input: string, config: ToaConfig, signal: AbortSignal): Promise<PromptRow[]> {
  const rows = await unlessCancelled(signal, async () => {
    const read: PromptRow[] = [];
    for await (const row of readPromptRows(input, config.input, { requireReference: needsReferences(config.reward), signal })) read.push(row);
    return read;
  });
  return rows ?? [];
}

/** The comparison's progress on stderr: each strategy's start, after the retries of the one before it. */
function progressLines(retries: RetryLines): (event: RunEvent) => void {
  return (e) => {
    const line = eventLine(e);
    if (line !== undefined) process.stderr.write(`${line}\n`);
    if (e.type !== 'run-start') return;
    // The previous strategy's retries, under its name.
    retries.flush();
    process.stderr.write(`running ${e.strategy} (budget ${e.budget})...\n`);
  };
}

/** What a cancel left of the comparison (`result`: the strategies that finished). */
function cancelledWhat(strategies: readonly StrategyName[], result: readonly CompareRow[]): string {
  if (result.length === 0) return 'no strategy finished, so there is no table';
  const pending = strategies.filter((s) => !result.some((r) => r.strategy === s));
  return pending.length ? `${pending.join(', ')} not compared` : 'after the last strategy finished; the table is whole';
}

/** The strategies --strategies names; all of them without the flag. Given empty (`--strategies ""`, a variable left unset) it names none, which is a mistake, not a request for all. */
function parseStrategies(list: string | undefined): StrategyName[] {
  if (list === undefined) return [...STRATEGIES];
  const names = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  if (names.length === 0) throw new UsageError(`--strategies: name at least one of ${STRATEGIES.join(', ')}`);
  const bad = names.filter((n) => !STRATEGIES.includes(n as StrategyName));
  if (bad.length) throw new UsageError(`--strategies: unknown ${bad.join(', ')} (choose from ${STRATEGIES.join(', ')})`);
  return names as StrategyName[];
}
