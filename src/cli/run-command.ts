import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ValidationError } from '../core/config';
import { Curator, type AutoAccept, type OutputSinks } from '../core/curation';
import { openJsonlAppender, readDonePrompts, resumeSkipNotes, type JsonlAppender } from '../core/dataset/writer';
import { checkRereadable, countRows, guardedOutputs, lockOutputs, needsReferences, readPromptRows, restoreDerivedRows, restoreFailed, type DonePrompts, type OutputLock, type OutputPaths } from '../core/dataset';
import { configHash, newRunId, OutputError, runPrompts, type RunSummary } from '../core/run';
import { unlessCancelled } from '../core/util/unless-cancelled';
import { STRATEGIES, type StrategyName } from '../shared/tree';
import { budgetOption, intOption, parse, pathOption, UsageError } from './args';
import { runOptions } from './command-options';
import { autoAcceptNotes } from './accept-note';
import { interruptHandler } from './interrupt';
import { progressLine, quietProgress, type ProgressLine } from './progress';
import { ProgressTracker } from './progress-tracker';
import { RetryLines } from '../core/run/retry-lines';
import { checkOutputPaths, openSession, outputFieldsOf, outputPaths, type CliSession } from './session';
import { agentStatsTable, rewardLine, totalsLine } from './stats-table';
import { WrittenRows } from './written-line';
import { count, plural } from '../shared/plural';

/** `toa run`: search every prompt of a JSONL file and write the three outputs. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, runOptions);
  if (!values.config || !values.input) throw new UsageError('needs --config <file> and --input <file>');
  pathOption(values['out-dir'], 'out-dir');
  const progress = values.quiet ? quietProgress() : progressLine();
  // Before any work that can take time (reading the config and the input, restoring a crashed
  // run's rows, reading the trace): a Ctrl-C with no handler kills the CLI outright. An early one
  // lets the run start cancelled, so it ends as a cancel mid-run does.
  const controller = new AbortController();
  const stopOnSignal = interruptHandler(controller, progress);
  const retries = new RetryLines((line) => progress.log(line));
  try {
    return await startRun({ ...values, config: values.config, input: values.input }, progress, retries, controller.signal);
  } finally {
    // A run that an error ended: its retries are counted, and the bar is cleared, before the
    // error is said (it was written after the bar, on its line).
    retries.flush();
    progress.end();
    stopOnSignal();
  }
}

type RunValues = Omit<ReturnType<typeof parse<typeof runOptions>>['values'], 'config' | 'input'> & { config: string; input: string };

/** Checks the config, input and outputs, locks the outputs, and runs. */
async function startRun(values: RunValues, progress: ProgressLine, retries: RetryLines, signal: AbortSignal): Promise<number> {
  const session = await openSession(values.config, searchOverrides(values), (n) => retries.notice(n));
  [...session.notes, ...autoAcceptNotes(session.config)].forEach((note) => progress.log(`note: ${note}`));
  session.warnings.forEach((warning) => progress.log(`warning: ${warning}`));
  const paths = outputPaths(values.config, session.config.output, values['out-dir']);
  const fields = outputFieldsOf(session.config.output, values['out-dir']);
  checkOutputPaths(values.config, paths, values.input);
  // Before the outputs are created or locked: a mistyped input path, or an empty file, leaves nothing behind.
  await checkRereadable(values.input);
  // Unknown (undefined) when a cancel ended the count (the run then starts cancelled), or when
  // the file cannot be read (the reader reports that with its own message).
  const total = await countRows(values.input, { signal }).catch(() => undefined);
  // An empty file is a wrong path or a failed export, not a run that did all its work.
  if (total === 0) throw new ValidationError([{ file: values.input, path: '', message: 'has no prompts to run on' }]);
  outputNotes(session, values['out-dir'], values.fresh, paths).forEach((note) => progress.log(`note: ${note}`));
  const runId = newRunId(session.config, Date.now());
  const lock = lockOutputs(paths.trace, runId, fields.trace, guardedOutputs(paths, fields));
  // Released on a clean end only: a forced exit (second Ctrl-C) leaves it for the next run to find,
  // and so does a failed restore of the crashed runs' rows (see OutputLock.release).
  // And so does an output that failed mid-run: its trace rows may name rows it could not write.
  return runWithOutputs(session, { input: values.input, total, fresh: values.fresh, runId, lock, signal, retries, fields }, paths, progress)
    .catch((error: unknown) => {
      if (!(error instanceof OutputError)) throw error;
      throw lock.outputFailed(error);
    })
    .finally(() => lock.release());
}

interface RunSetup {
  input: string;
  /** Its prompts (non-blank lines), for the progress line; undefined when it cannot be read. */
  total: number | undefined;
  fresh: boolean;
  runId: string;
  /** Ours; it names the runs it took over from: they died, maybe between a trace row and its rows. */
  lock: OutputLock;
  /** Ctrl-C or SIGTERM, from the start of the command. */
  signal: AbortSignal;
  /** Counted in full before the table, which counts them too. */
  retries: RetryLines;
  /** What chose each output's path, for its errors (see outputFieldsOf). */
  fields: Record<keyof OutputSinks, string>;
}

/** The run itself, once the outputs are checked and locked. */
async function runWithOutputs(session: CliSession, setup: RunSetup, paths: OutputPaths, progress: ProgressLine): Promise<number> {
  const { summary, tracker, written, stopped } = await searchWithOutputs(session, setup, paths, progress);
  setup.retries.flush();
  progress.end();
  if (stopped) {
    // What the run kept, then why it stopped: the note and the error stay last, where a user looks.
    if (anyCallAnswered(summary)) process.stdout.write(`${statsBlock(summary)}\n`);
    process.stdout.write(`${written.line(autoAcceptPolicy(session))}\n`);
    process.stdout.write(`${outputsLine(paths)}\n`);
    tracker.stopNote();
    throw stopped.error;
  }
  process.stdout.write(`${statsBlock(summary)}\n`);
  if (written.trace) process.stdout.write(`${written.line(autoAcceptPolicy(session))}\n`);
  process.stdout.write(`${outputsLine(paths)}\n`);
  if (summary.cancelled) {
    process.stderr.write(`${tracker.cancelNote()}\n`);
    return 130;
  }
  if (summary.totals.failed === 0) return 0;
  process.stderr.write(`${failedNote(summary.totals.failed, setup.fresh)}\n`);
  return 1;
}

/** The per-agent table, the reward model's line and the totals. */
function statsBlock(summary: Pick<RunSummary, 'agents' | 'totals'>): string {
  return `${agentStatsTable(summary.agents)}\n${rewardLine(summary.totals.reward)}\n\n${totalsLine(summary.totals)}`;
}

/** Whether a model or the reward model answered a call: a run stopped before any did (an endpoint down) has no table worth showing. */
function anyCallAnswered({ agents, totals }: Pick<RunSummary, 'agents' | 'totals'>): boolean {
  return agents.some((a) => a.calls > a.failures || a.costUsd > 0) || (totals.reward !== undefined && totals.reward.calls > totals.reward.failures);
}

/** The outputs there are: a file is created by its first row (see openJsonlAppender), so a run that wrote none may have none. */
function outputsLine(paths: OutputPaths): string {
  const present = [paths.sft, paths.preference, paths.trace].filter((path) => existsSync(path));
  return present.length ? `outputs: ${present.join(', ')}` : 'outputs: none written (no prompt finished)';
}

/** A run's end: its summary, and the error that stopped it if one did (see runWithOutputs). */
interface Searched {
  summary: RunSummary;
  tracker: ProgressTracker;
  written: WrittenRows;
  stopped?: { error: unknown };
}

/** Opens the outputs (restoring a crashed run's rows), searches every prompt into them, and closes them. */
async function searchWithOutputs(session: CliSession, { input, total, fresh, lock, runId, signal, retries, fields }: RunSetup, paths: OutputPaths, progress: ProgressLine): Promise<Searched> {
  const appenders = await readyOutputs(paths, fields, lock, progress);
  try {
    lock.appending(paths);
    const skip = fresh ? undefined : await donePrompts(paths.trace, fields.trace, signal, progress);
    if (skip) noteOtherConfigs(skip, configHash(session.config), paths.trace, progress);
    const curator = new Curator(appenders, session.config.output, autoAcceptPolicy(session));
    // A cancel cut the trace's read short: how many prompts are left to search is not known.
    const tracker = new ProgressTracker(progress, fresh || skip ? total : undefined, retries);
    const written = new WrittenRows();
    let stopped: { error: unknown } | undefined;
    const summary = await runPrompts({
      runId,
      config: session.config,
      rows: readPromptRows(input, session.config.input, { requireReference: needsReferences(session.config.reward), signal }),
      agents: session.agents,
      reward: session.reward,
      signal,
      skip,
      onEvent: (e) => tracker.onEvent(e),
      onTree: async (tree, row, info) => written.add(await curator.recordTree(tree, row, info)),
    }).catch((error: unknown): RunSummary => {
      // An error that stopped the run (an endpoint down, a key refused) comes back with what the
      // run had done, to be said before it; any other is thrown as it is.
      const stats = tracker.stoppedStats();
      if (!stats) throw error;
      stopped = { error };
      return { runId, cancelled: true, ...stats };
    });
    return { summary, tracker, written, stopped };
  } finally {
    await closeAll(appenders);
  }
}

/**
 * A failed prompt writes no trace row, so the same command searches it again: say so, or a user
 * starts over with --fresh. After a --fresh run, a failed prompt that an earlier run finished
 * still has that run's row, and resume would skip it: say that too.
 */
function failedNote(failed: number, fresh: boolean): string {
  const what = `${count(failed, 'prompt')} failed (reasons above)`;
  if (!fresh) return `${what}; run the command again (without --fresh) to search ${plural(failed, 'it', 'them')} again, the prompts already in the trace are skipped`;
  return `${what}; run the command again without --fresh to search again those the trace holds no row for: one an earlier run finished is skipped as done (use other outputs to search it again)`;
}

/** A read of the trace that takes this long says so: the run seems to hang until it ends. */
const SLOW_READ_NOTE_MS = 500;

/**
 * The prompts the trace holds, for resume; undefined when a cancel (Ctrl-C, SIGTERM) cut the
 * read short. A big trace takes seconds to read, so the read stops at its next chunk; the run
 * then starts cancelled and searches nothing, as after a Ctrl-C during any other setup step.
 */
async function donePrompts(trace: string, field: string, signal: AbortSignal, progress: ProgressLine): Promise<DonePrompts | undefined> {
  const slow = setTimeout(() => progress.log(`reading ${trace} for the prompts it already holds (Ctrl-C cancels)`), SLOW_READ_NOTE_MS);
  try {
    const skips = resumeSkipNotes(trace, field, (note) => progress.log(note));
    const done = await unlessCancelled(signal, () => readDonePrompts(trace, { signal, field, onSkip: skips.skip }));
    if (done) skips.end();
    return done;
  } finally {
    clearTimeout(slow);
  }
}

function searchOverrides(values: { strategy?: string; budget?: string; seed?: string }): { strategy?: StrategyName; budget?: number; seed?: number } {
  const strategy = values.strategy;
  if (strategy !== undefined && !STRATEGIES.includes(strategy as StrategyName)) {
    throw new UsageError(`--strategy: must be one of ${STRATEGIES.join(', ')}`);
  }
  const budget = budgetOption(values.budget);
  return { strategy: strategy as StrategyName | undefined, budget, seed: intOption(values.seed, 'seed') };
}

/** What a user could not guess about where rows go: --out-dir passing over absolute paths, --fresh appending. */
function outputNotes(session: CliSession, outDir: string | undefined, fresh: boolean, paths: OutputPaths): string[] {
  const notes: string[] = [];
  if (outDir !== undefined) {
    const absolute = (['sft', 'preference', 'trace'] as const).filter((kind) => isAbsolute(session.config.output[kind]));
    if (absolute.length) notes.push(`--out-dir does not apply to ${absolute.map((k) => `output.${k}`).join(', ')}: absolute in the config`);
  }
  if (fresh && nonEmpty(paths.trace)) notes.push(`--fresh: ${paths.trace} already holds searches; this run searches every prompt again and appends its rows after the ones there`);
  return notes;
}

function nonEmpty(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/**
 * The outputs, opened (a crash-cut last line removed) and holding the rows the crashed runs had
 * not written, before anything that can fail and end this run. Should this fail, the lock stays
 * and names those runs for the next one, and the error says so.
 */
async function readyOutputs(paths: OutputPaths, fields: Record<keyof OutputSinks, string>, lock: OutputLock, progress: ProgressLine): Promise<Record<keyof OutputSinks, JsonlAppender>> {
  let appenders: Record<keyof OutputSinks, JsonlAppender> | undefined;
  try {
    appenders = await openAppenders(paths, fields, lock, progress);
    const recovered = await restoreDerivedRows(paths, lock.crashed, appenders);
    if (recovered) progress.log(recovered);
    return appenders;
  } catch (error) {
    if (appenders) await closeAll(appenders).catch(() => undefined);
    throw lock.crashed.runIds.length ? restoreFailed(paths.trace, lock.crashed.runIds, error) : error;
  }
}

async function closeAll(appenders: Record<keyof OutputSinks, JsonlAppender>): Promise<void> {
  await Promise.all(Object.values(appenders).map((a) => a.close()));
}

/** Opened once, holding the lock: their tails are mended now, while no other run writes them. */
async function openAppenders(paths: Record<keyof OutputSinks, string>, fields: Record<keyof OutputSinks, string>, lock: OutputLock, progress: ProgressLine): Promise<Record<keyof OutputSinks, JsonlAppender>> {
  const onRepair = (r: { path: string; droppedBytes: number; dropped: string }): void =>
    progress.log(`repaired ${r.path}: removed a cut-off last line (${r.droppedBytes} bytes: ${JSON.stringify(r.dropped.slice(0, 60))}...)`);
  const [sft, preference, trace] = await Promise.all((['sft', 'preference', 'trace'] as const).map((kind) => openJsonlAppender(paths[kind], { repair: { lock, onRepair }, field: fields[kind] })));
  return { sft: sft!, preference: preference!, trace: trace! };
}

/** Resume skips what the trace holds whatever config made it; say so when that was another one. */
function noteOtherConfigs(done: DonePrompts, current: string, trace: string, progress: ProgressLine): void {
  const other = [...done.configHashes].reduce((n, [hash, rows]) => n + (hash === current ? 0 : rows), 0);
  if (other === 0) return;
  progress.log(`note: ${count(other, 'trace row')} in ${trace} ${plural(other, 'comes', 'come')} from another configuration (search, agents or reward changed); their prompts are skipped as done. Use --fresh, or other outputs, to search them again`);
}

/** The CLI accepts every best answer unless the config sets a threshold. */
function autoAcceptPolicy(session: CliSession): AutoAccept {
  const threshold = session.config.output.autoAcceptAbove;
  return threshold === undefined ? { kind: 'all' } : { kind: 'above', threshold };
}
