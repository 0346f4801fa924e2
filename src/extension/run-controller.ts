import * as vscode from 'vscode';
import { addTraceLines, compareStrategies, comparedRunId, concurrencyNotes, configHash, DonePrompts, errorText, guardedOutputs, lockOutputs, needsReferences, newRunId, OutputError, requireReferences, resumeSkipNotes, retryEvent, RetryLines, runPrompts, searchNotes, STRATEGIES, unlessCancelled, type AutoAccept, type CompareRow, type Curator, type OutputLock, type PromptRow, type RetryNotice, type RunEvent, type RunModels, type RunWarning, type RewardStats, type RunTotals, type SearchTree, type SliceOptions, type TreeInfo } from '../core';
import { abortToken } from './abort-token';
import { outputPaths, outputsOnDisk, refuseLinkedOutputs, refuseSharedOutputs, type ConfigSource, type FolderConfig, type OutputUris, type RunConfig } from './config-source';
import type { CurationService, CurationTarget } from './curation-service';
import { buildModels } from './models';
import { outputLines } from './output-lines';
import type { PanelController } from './panel/panel-controller';
import type { KeyStore } from './secrets';
import type { RunStatusBar } from './status-bar';
import { COMMANDS, RUNNING_CONTEXT } from './commands';
import { RunProgress } from './run-progress';
import { count, plural } from '../shared/plural';
import { inertText } from './inert-text';
import { showInformation, showWarning } from './notify';
import { stopHint, withStopHint } from './stop-hint';
import { curationHint, otherConfigNote, skippedPart } from './run-report-text';
import { allowedByTrust } from './trust';

/** How often the setup's progress is shown while the rows are read. */
const PROGRESS_EVERY_MS = 100;

/** What a run command resolves with (tests and other extensions await it). */
export interface RunResult {
  runId: string;
  cancelled: boolean;
  totals: RunTotals;
  /** File system paths of the three outputs. */
  outputs: Record<keyof OutputUris, string>;
  /** Where the prompts came from, e.g. `prompts.jsonl lines 2-4`. */
  source: string;
  /** Compare mode only: one row per strategy. */
  compare?: CompareRow[];
  /**
   * Compare mode only: how many prompts were compared. Not `totals.prompts` over the rows: the
   * totals also count the prompts of a strategy a cancel cut short, which has no row.
   */
  comparedPrompts?: number;
  /** How many of the prompts skipped as done another configuration searched (see run-report-text.ts). */
  skippedElsewhere?: number;
  /** No auto-accept: the run's answers wait in the panel for the user's decisions. */
  byHand?: boolean;
}

export interface RunRequest {
  /**
   * Reads the run's rows, as the first step of its setup: a document of a million rows takes
   * seconds, which the panel shows (with Cancel run) and a cancel ends (the signal of `slices`).
   */
  rows(slices: SliceOptions): Promise<PromptRow[]>;
  /** The folder's config as read for the rows: the run takes its endpoints, search and outputs from it. */
  config: FolderConfig;
  /** For titles and messages, e.g. `prompts.jsonl lines 2-4`. */
  source: string;
  /** The file the rows come from, which no output may be. */
  input?: vscode.Uri;
  compare?: boolean;
  /**
   * Skip the prompts the trace output already holds, as `toa run` does (Synthesize File: a run
   * cancelled half-way goes on where it stopped). Selections run what was selected.
   */
  resume?: boolean;
  /**
   * Called as the run starts (its run-start, each strategy's in a comparison): the panel shows it
   * from then on, whether it finishes, an error stops it, or the window is reloaded mid-run.
   */
  started?(): void;
}

/** A request whose rows were read. */
type ReadRequest = Omit<RunRequest, 'rows'> & { rows: PromptRow[] };

/** What a run tells the user as it goes: its events, and what its setup is doing (the notification's message). */
interface RunFeedback {
  onEvent(event: RunEvent): void;
  say(message: string): void;
}

export interface RunControllerDeps {
  configs: ConfigSource;
  keys: KeyStore;
  /** The panel, without opening or revealing it (every event goes here). */
  panel(): PanelController;
  /** Opens or reveals the panel: once per run, as it starts, so a user who then moves away or closes it is not pulled back. */
  showPanel(): PanelController;
  curation: CurationService;
  status: RunStatusBar;
  log: vscode.LogOutputChannel;
}

/** The run going, from its setup on: its abort, and the ids of the runs it started (a comparison starts one per strategy). */
interface CurrentRun {
  controller: AbortController;
  runIds: Set<string>;
}

/**
 * Runs the engine for the editor: one run at a time, in a cancellable progress notification,
 * events to the panel and the status bar, finished trees to the outputs. Cancel (notification,
 * panel, command) aborts the calls in flight; what was written stays.
 */
export class RunController implements vscode.Disposable {
  private current: CurrentRun | undefined;

  constructor(private readonly deps: RunControllerDeps) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Cancels the run going, whichever it is (the command, the run's own notification). */
  cancel(): void {
    this.current?.controller.abort(new Error('cancelled by user'));
  }

  /**
   * The panel's Cancel run, about the run it showed running (`runId`), or null about a run being
   * set up: the run going is cancelled only if it is that run. The panel may have shown one that
   * ended since, and its click must not cancel the next.
   */
  cancelShown(runId: string | null): void {
    if (runId === null || this.current?.runIds.has(runId)) this.cancel();
  }

  /** Undefined when the run did not start (refused, busy, no key); reports why to the user. */
  async run(request: RunRequest): Promise<RunResult | undefined> {
    const busy = this.current;
    if (busy) return this.refuseBusy(busy);
    // The run counts as started from here, so a cancel during setup (reading the rows, starting
    // the simulator, asking for a key) is not lost.
    const controller = new AbortController();
    this.current = { controller, runIds: new Set() };
    // The setup's prompts (a key's input box) close on a cancel instead of holding the run.
    const prompts = abortToken(controller.signal);
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    const prepare = (step: string, progress?: string): void => this.prepare(request.source, step, progress);
    // The log's retry lines: the first of each endpoint and reason, then counts (see RetryLines).
    const retries = new RetryLines((line) => this.deps.log.warn(line));
    try {
      const rows = await this.readRows(request, controller.signal, prepare);
      if (!rows) return undefined;
      if (!rows.length) {
        void showWarning(`TOA Studio: no prompts in ${request.source}.`);
        return undefined;
      }
      const read: ReadRequest = { ...request, rows };
      prepare('setting up the endpoints');
      const run = await this.resolveRun(read);
      if (!run) return undefined;
      prepare('checking the API keys');
      const models = await buildModels(run, this.deps.keys, (n) => this.noteRetry(retries, n), prompts.token);
      if (!models || controller.signal.aborted) return undefined;
      return await this.start(read, run, models, controller, prepare);
    } finally {
      retries.flush();
      prompts.dispose();
      this.current = undefined;
      void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
      this.endSetup(request.source, controller.signal.aborted);
    }
  }

  /** A run asked for while another goes: refused, with the choice to cancel the one going. */
  private async refuseBusy(busy: CurrentRun): Promise<undefined> {
    const choice = await showWarning('TOA Studio: a run is already in progress.', 'Cancel It');
    // The warning stays up as long as the user leaves it: it cancels the run it was about, if still going.
    if (choice && this.current === busy) this.cancel();
    return undefined;
  }

  /**
   * The run's config, checked before any call: its endpoints against Restricted Mode (undefined
   * when refused, the user told why), its outputs and the rows' references (thrown).
   */
  private async resolveRun(request: ReadRequest): Promise<RunConfig | undefined> {
    const run = await this.deps.configs.resolve(request.config);
    if (!allowedByTrust(run, this.deps.log)) return undefined;
    // A comparison writes no outputs.
    if (!request.compare) {
      refuseSharedOutputs(run.outputs, run.outputFields, request.input);
      await refuseLinkedOutputs(run.outputs);
    }
    // Before any call: a reference check would fail these rows mid-run, after their model calls.
    if (needsReferences(run.config.reward)) requireReferences(request.rows, run.config.input.referenceField);
    return run;
  }

  /** A retry goes to the log (its lines) and, as an event, to the panel and the status bar. */
  private noteRetry(retries: RetryLines, notice: RetryNotice): void {
    retries.notice(notice);
    this.onEvent(retryEvent(notice));
  }

  /** The run in its notification, once set up. */
  private start(request: ReadRequest, run: RunConfig, models: RunModels, controller: AbortController, prepare: (step: string) => void): Thenable<RunResult> {
    return this.withProgress(request, run.endpoints, controller, (feedback) =>
      this.execute(request, run, models, controller.signal, { ...feedback, prepare }).catch((error: unknown) => {
        // Said in the panel too: it shows the run as finished, and the notification may be gone.
        this.deps.panel().post({ type: 'notice', level: 'error', message: `The run stopped: ${errorText(error)}` });
        throw error;
      }),
    );
  }

  /**
   * The request's rows, how far the read got shown as it goes; undefined when a cancel ended
   * the read (the run then ends as a setup cancelled before it started).
   */
  private async readRows(request: RunRequest, signal: AbortSignal, prepare: (step: string, progress?: string) => void): Promise<PromptRow[] | undefined> {
    const step = 'reading the prompts';
    prepare(step);
    let shownAt = -Infinity;
    const onProgress = (done: number, total: number): void => {
      // A slice is a few milliseconds: the panel and the status bar need not redraw at each.
      if (Date.now() - shownAt < PROGRESS_EVERY_MS) return;
      shownAt = Date.now();
      prepare(step, `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${plural(total, 'line')}`);
    };
    return unlessCancelled(signal, () => request.rows({ signal, onProgress }));
  }

  /**
   * The panel and the status bar show the run as starting, and what its setup is doing: it can
   * take seconds (a key to type, a big trace to read), and the panel would show the run before,
   * with no Cancel run.
   */
  private prepare(source: string, step: string, progress?: string): void {
    this.deps.panel().post({ type: 'preparing', preparing: progress === undefined ? { source, step } : { source, step, progress } });
    this.deps.status.preparing(step, progress);
  }

  /** A setup that ended without a run (run-start ends it otherwise): the panel and status bar say so. */
  private endSetup(source: string, cancelled: boolean): void {
    const panel = this.deps.panel();
    if (!panel.snapshot.preparing) return;
    panel.post({ type: 'preparing', preparing: null });
    this.deps.status.setupEnded();
    if (cancelled) panel.post({ type: 'notice', level: 'info', message: `The run of ${source} was cancelled before it started: nothing was searched or written.` });
  }

  /** The run once set up: its start, then the engine over its outputs, or a comparison (which writes none). */
  private async execute(request: ReadRequest, run: RunConfig, models: RunModels, signal: AbortSignal, { onEvent, say, prepare }: RunFeedback & { prepare(step: string): void }): Promise<RunResult> {
    const begun = this.begin(request, run);
    const engine = this.engineFor(request, run, models, signal, onEvent);
    const outputs = outputPaths(run.outputs);
    if (request.compare) return compareRun(request, engine.options, begun.runId, outputs, begun.panel);
    return this.runToOutputs(request, run, begun, engine, outputs, { say, prepare });
  }

  /**
   * The run's start, before the engine's: the panel shown and told the run's settings, its rows
   * remembered for the decisions taken on them, its plan logged.
   */
  private begin(request: ReadRequest, run: RunConfig): BegunRun {
    const panel = this.deps.showPanel();
    // The run config already carries the autoAcceptAbove setting over the file's value (withSettings).
    const threshold = run.config.output.autoAcceptAbove;
    const autoAccept: AutoAccept = threshold === undefined ? { kind: 'never' } : { kind: 'above', threshold };
    panel.configure({ autoAcceptAbove: threshold ?? null, outputs: relativeOutputs(run.outputs), endpoints: run.endpoints });
    const target: CurationTarget = { output: run.config.output, outputs: run.outputs, outputFields: run.outputFields };
    // A comparison's id names each strategy's run (comparedRunId).
    const runId = newRunId(run.config, Date.now());
    // Remembered under this run's id: the panel shows the run before until run-start, and
    // decisions taken there meanwhile must not find these rows (of the same ids) as theirs.
    this.deps.curation.rememberRun(runId, request.rows, target, request.compare ? STRATEGIES.map((s) => comparedRunId(runId, s)) : []);
    this.logPlan(request, run);
    return { panel, autoAccept, target, runId };
  }

  /** What the engine runs with: its events go to the feedback and the request's `started`, a settings warning to the user. */
  private engineFor(request: ReadRequest, run: RunConfig, models: RunModels, signal: AbortSignal, onEvent: RunFeedback['onEvent']): RunEngine {
    // What a run an error stopped had done, as its run-done says before runPrompts rejects.
    let stoppedDone: number | undefined;
    const options: EngineOptions = {
      config: run.config,
      agents: models.agents,
      reward: models.reward,
      signal,
      onEvent: (event: RunEvent) => {
        onEvent(event);
        if (event.type === 'run-start') request.started?.();
        // A comparison's repeat was notified with its first run; the panel lists it with its own.
        if (event.type === 'run-warning' && !event.repeat) this.warnAboutSettings(event, run.file);
        if (event.type === 'run-done' && event.stopped !== undefined) stoppedDone = event.totals.done;
      },
    };
    return { options, stoppedDone: () => stoppedDone };
  }

  /** One run, not a comparison: its outputs locked, what they hold already read, its trees written to them. */
  private async runToOutputs(request: ReadRequest, run: RunConfig, { panel, autoAccept, target, runId }: BegunRun, { options, stoppedDone }: RunEngine, outputs: RunResult['outputs'], { say, prepare }: Pick<RunFeedback, 'say'> & { prepare(step: string): void }): Promise<RunResult> {
    const { lock, recovered } = await this.takeLock(run, target, runId, prepare);
    try {
      if (recovered) this.deps.log.warn(recovered);
      lock?.appending(outputs);
      const read = await this.readDone(request, run, target, autoAccept, options.signal, { say, prepare });
      const skippedElsewhere = read?.skip?.searchedUnderOther(request.rows, configHash(run.config)) ?? 0;
      if (skippedElsewhere) this.deps.log.warn(`note: ${otherConfigNote(skippedElsewhere, vscode.workspace.asRelativePath(run.outputs.trace))}`);
      const onTree = read?.curator && recordTrees(read.curator, run.outputs, panel);
      const summary = await runPrompts({ ...options, runId, rows: request.rows, skip: read?.skip, onTree }).catch((error: unknown) => {
        throw runError(error, lock, stoppedDone(), request);
      });
      return { runId: summary.runId, cancelled: summary.cancelled, totals: summary.totals, outputs, source: request.source, skippedElsewhere, byHand: autoAccept.kind === 'never' };
    } finally {
      lock?.release();
    }
  }

  /** The log says what the run is about to do, and notes the settings that may not do what the user meant. */
  private logPlan(request: ReadRequest, run: RunConfig): void {
    this.deps.log.info(`run over ${count(request.rows.length, 'prompt')} from ${request.source}: strategy ${run.config.search.strategy}, budget ${run.config.search.budget}, endpoints: ${run.endpoints}`);
    // A comparison runs every strategy: the notes about TOA's settings and MoA's layers apply
    // whatever the config's strategy, and its concurrency note counts TOA's agents.
    const noted = request.compare ? { ...run.config, search: { ...run.config.search, strategy: 'toa' as const } } : run.config;
    for (const note of searchNotes(run.config, request.compare ? STRATEGIES : undefined)) this.deps.log.info(`note: ${note}`);
    // The simulator's agents are no one's to raise: the note is for the endpoints of a config file.
    if (run.endpoints === 'workspace') for (const note of concurrencyNotes(noted)) this.deps.log.info(`note: ${note}`);
  }

  /**
   * Outputs on disk are locked as the CLI locks them; a virtual file system has no such files.
   * Taken in turn with the decisions on these outputs (see lockForRun).
   */
  private takeLock(run: RunConfig, target: CurationTarget, runId: string, prepare: (step: string) => void): Promise<{ lock: OutputLock | undefined; recovered: string | undefined }> {
    return this.deps.curation.lockForRun(target, () => {
      const paths = outputsOnDisk(run.outputs);
      const taken = paths && lockOutputs(paths.trace, runId, run.outputFields.trace, guardedOutputs(paths, run.outputFields));
      prepare(taken?.crashed.runIds.length ? 'restoring the rows of an interrupted run' : 'checking the outputs');
      return taken;
    });
  }

  /**
   * What is done already: the prompts the trace holds (a resume only) and the run's curator,
   * which reads the prompts the SFT output answers (auto-accept only). Undefined after a cancel.
   */
  private async readDone(request: ReadRequest, run: RunConfig, target: CurationTarget, autoAccept: AutoAccept, signal: AbortSignal, { say, prepare }: Pick<RunFeedback, 'say'> & { prepare(step: string): void }): Promise<{ skip: DonePrompts | undefined; curator: Curator } | undefined> {
    // Read once the outputs are mended and the crashed run's rows restored: those count too.
    // A cancel ends the reads at once (a big trace takes seconds): the run then starts
    // cancelled, searches nothing, and ends (and says so) as a run cancelled mid-way does.
    const reading = `reading ${vscode.workspace.asRelativePath(run.outputs.trace)} for the prompts already done`;
    if (request.resume) say(`${reading}...`);
    const read = await unlessCancelled(signal, async () => {
      if (request.resume) prepare(reading);
      const skip = request.resume ? await donePrompts(run.outputs.trace, run.outputFields.trace, signal, (note) => this.deps.log.warn(note)) : undefined;
      if (autoAccept.kind !== 'never') prepare(`reading ${vscode.workspace.asRelativePath(run.outputs.sft)} for the prompts already answered`);
      return { skip, curator: await this.deps.curation.runCurator(target, autoAccept, signal) };
    });
    if (request.resume) say(''); // read: the counts of prompts take over
    return read;
  }

  /** The cancellable notification; resolves with the run's result and reports how it ended. */
  private withProgress(request: ReadRequest, endpoints: RunConfig['endpoints'], controller: AbortController, work: (feedback: RunFeedback) => Promise<RunResult>): Thenable<RunResult> {
    // Answers from the simulator are not training data: whoever runs it must see that they are.
    const title = `TOA Studio: ${request.compare ? 'comparing strategies on' : 'synthesizing'} ${request.source}${endpoints === 'simulator' ? ' (simulated endpoints)' : ''}`;
    // A progress notification renders links in its text as a message does (see inert-text.ts).
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: inertText(title), cancellable: true }, async (progress, token) => {
      const onCancel = token.onCancellationRequested(() => this.cancel());
      const steps = new RunProgress(request.rows.length * (request.compare ? STRATEGIES.length : 1));
      try {
        const result = await work({
          onEvent: (event) => {
            this.onEvent(event);
            const step = steps.step(event);
            if (step) progress.report({ ...step, message: inertText(step.message) });
          },
          say: (message) => progress.report({ message: inertText(message) }),
        });
        this.report(request, result, controller.signal.aborted);
        return result;
      } finally {
        onCancel.dispose();
      }
    });
  }

  private onEvent(event: RunEvent): void {
    if (event.type === 'run-start') this.current?.runIds.add(event.runId);
    this.deps.panel().pushEvent(event);
    this.deps.status.onEvent(event);
    if (event.type === 'prompt-failed') this.deps.log.error(`prompt ${event.promptId} failed: ${event.error}`);
    if (event.type === 'prompt-cancelled') this.deps.log.info(`prompt ${event.promptId} cut short before its search ended (the run was cancelled or stopped); a resumed run searches it again`);
  }

  /**
   * A setting that spoils the run's results (a tau that saturates the values, a reward that never
   * varies): logged, and told now rather than after the run, with a tau's fix one click away when
   * the config is a file.
   */
  private warnAboutSettings(warning: RunWarning, file: vscode.Uri | undefined): void {
    this.deps.log.warn(warning.message);
    const tau = warning.code === 'tau-scale' && file ? warning.suggestedTau : undefined;
    const fix = tau === undefined ? undefined : `Set tau to ${tau}`;
    const actions = fix ? [fix, 'Open Panel'] : ['Open Panel'];
    void showWarning(`TOA Studio: ${warning.message}`, ...actions).then((choice) => {
      if (fix && choice === fix) void vscode.commands.executeCommand(COMMANDS.setSearchTau, tau, file);
      else if (choice) void vscode.commands.executeCommand(COMMANDS.openPanel);
    });
  }

  private report(request: ReadRequest, result: RunResult, cancelled: boolean): void {
    const t = result.totals;
    const elsewhere = result.skippedElsewhere ?? 0;
    const skipped = skippedPart(t.skipped, t.prompts - t.skipped, elsewhere, vscode.workspace.asRelativePath(result.outputs.trace));
    // After run-start, which clears the panel's notice: the panel is where the user looks.
    if (elsewhere) this.deps.panel().post({ type: 'notice', level: 'info', message: otherConfigNote(elsewhere, vscode.workspace.asRelativePath(result.outputs.trace)) });
    // A comparison's totals add up its strategies' runs: one search per prompt and strategy.
    // Of the prompts this run searched: "2 of 8 done" after a resume read as 6 still to do.
    const done = request.compare ? `${count(request.rows.length, 'prompt')} x ${STRATEGIES.length} strategies: ${t.done} of ${t.prompts} searches done` : `${t.done} of ${count(t.prompts - t.skipped, 'prompt')} done`;
    const line = `${done}${skipped}${t.failed ? `, ${t.failed} failed (see the TOA Studio output)` : ''}, ${t.plays} plays, $${t.costUsd.toFixed(4)}`;
    // After a cancel, what the run kept and how to go on; a comparison writes no outputs, so it has nothing to go on from.
    const said = cancelled && !request.compare ? `${line}. ${stopHint({ end: 'cancel', done: t.done, resume: request.resume === true, source: request.source })}` : line;
    this.deps.log.info(`${cancelled ? 'cancelled' : 'finished'}: ${said}`);
    const hint = result.byHand ? curationHint(t.done, vscode.workspace.asRelativePath(result.outputs.sft)) : '';
    const message = `TOA Studio: ${cancelled ? 'cancelled' : 'finished'} ${request.source}: ${said}${said === line ? '.' : ''}${hint}`;
    const show = t.failed ? showWarning : showInformation;
    void show(message, 'Open Panel').then((choice) => choice && vscode.commands.executeCommand(COMMANDS.openPanel));
  }

  dispose(): void {
    this.cancel();
  }
}

/** What the engine runs with, one run or a comparison: all but its id, rows and what a comparison does without. */
type EngineOptions = Pick<Parameters<typeof runPrompts>[0], 'config' | 'agents' | 'reward' | 'signal' | 'onEvent'>;

/** A run as it begins (see RunController.begin). */
interface BegunRun {
  panel: PanelController;
  autoAccept: AutoAccept;
  target: CurationTarget;
  runId: string;
}

/** The engine's options, and what its run had done when an error stopped it (undefined until then). */
interface RunEngine {
  options: EngineOptions;
  stoppedDone: () => number | undefined;
}

/** The error a run's runPrompts rejected with, as the run rejects with it. */
function runError(error: unknown, lock: OutputLock | undefined, stoppedDone: number | undefined, request: ReadRequest): unknown {
  // Its trace rows may name rows it could not write: the lock is kept for the next run to write them.
  const failed = error instanceof OutputError && lock ? lock.outputFailed(error) : error;
  // A run the error stopped once it had started: the error says what it kept and how to go on.
  if (stoppedDone === undefined) return failed;
  return withStopHint(failed, stopHint({ end: 'stop', done: stoppedDone, resume: request.resume === true, source: request.source }));
}

/** Every strategy over the rows, its trees to the panel's Compare tab; the result sums their totals. */
async function compareRun(request: ReadRequest, options: EngineOptions, runId: string, outputs: RunResult['outputs'], panel: PanelController): Promise<RunResult> {
  const totals = emptyTotals();
  // A comparison writes no outputs (as `toa compare`): six trees per prompt would give six
  // trace rows, and auto-accept six SFT rows. Each strategy's trees stay in the panel for curation.
  let rows: CompareRow[] = [];
  panel.beginCompare();
  try {
    rows = await compareStrategies({ ...options, runId, rows: request.rows, onEvent: (e) => (options.onEvent(e), addTotals(totals, e)) });
  } finally {
    panel.endCompare(rows);
  }
  return { runId: `compare-${Date.now().toString(36)}`, cancelled: options.signal.aborted, totals, outputs, source: request.source, compare: rows, comparedPrompts: request.rows.length };
}

/**
 * The run's tree hook: each finished tree goes to the curator (its trace row, and its SFT row
 * and pair when auto-accepted), and the panel shows an auto-accepted prompt as accepted.
 */
function recordTrees(curator: Curator, outputs: OutputUris, panel: PanelController): (tree: SearchTree, row: PromptRow, info: TreeInfo) => Promise<void> {
  return async (tree, row, info) => {
    const result = await curator.recordTree(tree, row, info);
    if (!result.sft) return;
    // Named as a person's decisions are: the pair went out with the SFT row.
    const written = [`SFT row -> ${vscode.workspace.asRelativePath(outputs.sft)}`, ...(result.preference ? [`preference pair -> ${vscode.workspace.asRelativePath(outputs.preference)}`] : [])];
    panel.post({ type: 'prompt-status', promptId: row.id, status: 'accepted', reason: `auto-accepted: ${written.join(', ')}`, runId: info.runId });
  };
}

function relativeOutputs(outputs: OutputUris): { sft: string; preference: string; trace: string } {
  return { sft: vscode.workspace.asRelativePath(outputs.sft), preference: vscode.workspace.asRelativePath(outputs.preference), trace: vscode.workspace.asRelativePath(outputs.trace) };
}

function emptyTotals(): RunTotals {
  return { prompts: 0, done: 0, failed: 0, skipped: 0, plays: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, elapsedMs: 0 };
}

/**
 * Compare mode runs one engine run per strategy; the result sums their totals. Their reward
 * medians cannot be summed: the sum takes their mean weighted by calls, close enough for a
 * comparison of strategies over the same endpoint.
 */
function addTotals(sum: RunTotals, event: RunEvent): void {
  if (event.type !== 'run-done') return;
  const { reward, ...counts } = event.totals;
  for (const key of Object.keys(counts) as (keyof typeof counts)[]) sum[key] += counts[key];
  if (reward) sum.reward = addRewardStats(sum.reward, reward);
}

function addRewardStats(sum: RewardStats | undefined, next: RewardStats): RewardStats {
  if (!sum) return { ...next };
  const calls = sum.calls + next.calls;
  const medianLatencyMs = calls ? (sum.medianLatencyMs * sum.calls + next.medianLatencyMs * next.calls) / calls : 0;
  return { name: next.name, calls, failures: sum.failures + next.failures, retries: sum.retries + next.retries, medianLatencyMs };
}

/**
 * The prompts a trace output holds (none when it does not exist yet), matched as `toa run`
 * matches them; a line that is not a trace row is noted as the CLI notes it (file, line, what
 * named the file). A cancel ends the read at its next chunk, rejecting with its reason.
 */
async function donePrompts(trace: vscode.Uri, field: string, signal: AbortSignal, note: (text: string) => void): Promise<DonePrompts> {
  const done = new DonePrompts();
  const path = trace.scheme === 'file' ? trace.fsPath : trace.toString();
  const skips = resumeSkipNotes(path, field, note);
  await addTraceLines(done, outputLines(trace, field, signal), skips.skip);
  skips.end();
  return done;
}
