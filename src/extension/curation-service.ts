import * as vscode from 'vscode';
import { conversationKey, Curator, errorText, guardedOutputs, isSftRowOf, lockOutsideRun, restoreDerivedRows, restoreFailed, sftPromptKey, type AutoAccept, type ChatMessage, type OutputLock, type OutputSinks, type PromptRow, type SearchTree, type ToaConfig } from '../core';
import { searchPending } from '../shared/panel-state';
import type { PromptStatus, ShownSearch, WebviewToHost } from '../shared/protocol';
import { outputPaths, outputsOnDisk, refuseLinkedOutputs, refuseSharedOutputs, type OutputUris } from './config-source';
import type { OutputFields } from './overrides';
import { outputLines, readLastTraceRow } from './output-lines';
import { REJECTED_REASON, type RejectedSearches, type SearchRef } from './rejected-searches';
import type { SinkRegistry, WorkspaceLineSink } from './workspace-sink';
import { showError, showWarning } from './notify';

/** Rows kept for curation by hand; older ones are read back from the trace output. */
const REMEMBERED_ROWS = 10_000;

/** Where a curation decision is written, and how the panel learns about it. */
export interface CurationTarget {
  output: ToaConfig['output'];
  outputs: OutputUris;
  /** What named each output's path (the config's field or a setting), for its errors. */
  outputFields: OutputFields;
}

export interface CurationDeps {
  sinks: SinkRegistry;
  /**
   * The tree the panel holds for a prompt of run `runId` (the run shown, or a compared
   * strategy's run it holds): a comparison's runs share their prompt ids.
   */
  treeOf(promptId: string, runId: string): SearchTree | undefined;
  /** The status the panel holds for a prompt of run `runId`. */
  statusOf(promptId: string, runId: string): PromptStatus | undefined;
  /** The search of a tree Show tree put in the panel under run `runId`, as the panel keeps it (a window reload included). */
  shownOf(promptId: string, runId: string): ShownSearch | undefined;
  /** `level` 'error': the decision was not saved, and `reason` says why. */
  postStatus(promptId: string, runId: string, status: PromptStatus, reason?: string, level?: 'error'): void;
  /**
   * Outputs for a prompt this session did not run (after a window reload): the last run's
   * folder, else the first. Throws when that folder's config file is invalid, rather than
   * writing to default paths the user did not choose.
   */
  target(): Promise<CurationTarget | undefined>;
  /** Where rejections are kept: they write no output row. */
  rejected: RejectedSearches;
}

/** A prompt this session ran or showed: its row, the outputs of its run, and its search when the panel shows it under another run or id. */
interface RunPrompt {
  row: PromptRow;
  target: CurationTarget;
  search?: SearchRef;
}

/** Compared strategies' runs whose rows are known (see rememberRun): those of the last ten comparisons. */
const COMPARED_RUNS = 60;

/**
 * Curation decisions from the panel (accept, edit-and-accept, reject, preference pair) turned
 * into output rows at once, through the same Curator the CLI uses.
 */
export class CurationService {
  /**
   * By run and prompt id (see promptKey): a prompt id alone names one row of each run (`line-3`
   * of every file without ids, a file edited and run again), and the panel goes on showing the
   * run before until the next one starts, or for good when it fails first.
   */
  private readonly prompts = new Map<string, RunPrompt>();
  /** A compared strategy's run id -> the comparison's id, under which its rows are remembered once for all its runs. */
  private readonly comparedRuns = new Map<string, string>();
  /** Prompts (run and prompt id) with a decision being written: a second one is refused until the first has landed. */
  private readonly deciding = new Set<string>();
  /** Per trace output, the decisions being written under its lock and a run readying it (see inTurn). */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(private readonly deps: CurationDeps) {}

  /**
   * The Curator of one run: trace rows always, auto-accept per policy, but never a second SFT row
   * for a prompt the SFT output already answers (a selection run again). Reads that output once;
   * a cancel (`signal`) ends the read and rejects with its reason.
   */
  async runCurator(target: CurationTarget, autoAccept: AutoAccept, signal?: AbortSignal): Promise<Curator> {
    const answered = autoAccept.kind === 'never' ? new Set<number>() : await this.answeredPrompts(target.outputs.sft, target.outputFields.sft, signal);
    return new Curator(this.sinksOf(target), target.output, autoAccept, (row) => {
      const key = conversationKey(row.messages);
      if (answered.has(key)) return true;
      answered.add(key);
      return false;
    });
  }

  /** The conversation keys of the prompts an SFT output answers. */
  private async answeredPrompts(sft: vscode.Uri, field: string, signal?: AbortSignal): Promise<Set<number>> {
    const keys = new Set<number>();
    for await (const line of outputLines(sft, field, signal)) {
      const key = line.trim() ? sftPromptKey(line) : undefined;
      if (key !== undefined) keys.add(key);
    }
    return keys;
  }

  /**
   * Takes the outputs' lock for a run of this window (`take`; undefined on a virtual file system)
   * and readies the outputs under it (see prepareOutputs), in turn with the decisions on them:
   * after those being saved, which hold the lock a moment (the run would find it held), and
   * before any made meanwhile. A decision written while the rows of a crashed run are being
   * restored would read the SFT output before its prompt's restored row is there, and write a
   * second row for it. Should readying fail, the lock is released: it stays, naming the crashed
   * runs for the next run (OutputLock.release). Returns the lock and the note to show, if any.
   */
  lockForRun(target: CurationTarget, take: () => OutputLock | undefined): Promise<{ lock: OutputLock | undefined; recovered: string | undefined }> {
    return this.inTurn(target, async () => {
      const lock = take();
      try {
        return { lock, recovered: lock && (await this.prepareOutputs(target, lock)) };
      } catch (error) {
        lock?.release();
        throw error;
      }
    });
  }

  /**
   * Readies outputs on disk for the holder of their `lock`, as the CLI does before it reads them:
   * a last line a crash cut short is removed; then, when the lock was taken over from runs that
   * died (a crash, a closed window), the SFT rows and pairs they had not written after their
   * trace rows are written (see core/dataset/recover.ts). Returns the note to show, if any.
   * Should restoring fail, the error says the lock is kept for the next run (restoreFailed).
   */
  private async prepareOutputs(target: CurationTarget, lock: OutputLock): Promise<string | undefined> {
    const sinks = this.sinksOf(target);
    const paths = outputPaths(target.outputs);
    const { crashed } = lock;
    try {
      await Promise.all([sinks.sft, sinks.preference, sinks.trace].map((sink) => sink.repair(lock)));
      return await restoreDerivedRows(paths, crashed, sinks);
    } catch (error) {
      throw crashed.runIds.length ? restoreFailed(paths.trace, crashed.runIds, error) : error;
    }
  }

  /**
   * Writes a decision holding the outputs' lock, as a run writes, so that only one process
   * ever writes them and mending their tails stays safe (see TailRepair): taken for the write
   * when it is free (readied first, as a run readies them); not needed when a run of this
   * window holds it (its sinks queue our rows with its own). When a live run of another process
   * (`toa run`, another window) holds it, the decision is refused, and the error says who holds
   * it: appending beside that run with O_APPEND alone would keep rows whole on a local disk, but
   * not on a network share, and that run's own guarantees would no longer hold (it puts a file
   * back to its last good length after a failed write, which would remove our row; its
   * auto-accept, which read the SFT output at its start, could write a second row for the
   * prompt). The tree stays in the panel, to decide once that run has ended.
   */
  private holdingOutputs<T>(target: CurationTarget, write: () => Promise<T>): Promise<T> {
    // One decision at a time per set of outputs: a second one would find the first's lock, write
    // without one, and have it released under it mid-write.
    return this.inTurn(target, () => this.underLock(target, write));
  }

  /** Runs `work` once the work queued before it on the outputs of `target` has settled: decisions, and a run readying them. */
  private inTurn<T>(target: CurationTarget, work: () => Promise<T>): Promise<T> {
    const key = target.outputs.trace.toString();
    const next = (this.writing.get(key) ?? Promise.resolve()).then(work);
    const settled = next.then(() => undefined, () => undefined);
    this.writing.set(key, settled);
    void settled.then(() => this.writing.get(key) === settled && this.writing.delete(key));
    return next;
  }

  private async underLock<T>(target: CurationTarget, write: () => Promise<T>): Promise<T> {
    // Outputs on a virtual file system have no lock, as for a run (see outputsOnDisk).
    const paths = outputsOnDisk(target.outputs);
    if (!paths) return write();
    const lock = lockOutsideRun(paths.trace, `hand-${Date.now().toString(36)}`, target.outputFields.trace, guardedOutputs(paths, target.outputFields));
    if (!lock) return write();
    try {
      const recovered = await this.prepareOutputs(target, lock);
      if (recovered) void showWarning(`TOA Studio: ${recovered}`);
      lock.appending(paths);
      return await write();
    } finally {
      lock.release();
    }
  }

  /**
   * The prompts a run (`runId`) is about to search: decisions on them go to that run's outputs.
   * A comparison's rows are remembered once, under its id, for all its runs (`comparedRuns`,
   * each strategy's): they share the rows.
   */
  rememberRun(runId: string, rows: readonly PromptRow[], target: CurationTarget, comparedRuns: readonly string[] = []): void {
    for (const compared of comparedRuns) this.comparedRuns.set(compared, runId);
    while (this.comparedRuns.size > COMPARED_RUNS) this.comparedRuns.delete(this.comparedRuns.keys().next().value as string);
    for (const row of rows) this.remember(runId, row, target);
  }

  /**
   * A prompt the panel shows under run `runId`, with `row` its prompt's row. `search`: the trace
   * row's run and prompt id, for a tree Show tree put in the panel (whose run and key are not
   * the search's); by default the search is `runId`'s, under the prompt's id.
   */
  remember(runId: string, row: PromptRow, target: CurationTarget, search?: SearchRef): void {
    const key = this.rememberedKey(runId, row.id);
    this.prompts.delete(key);
    this.prompts.set(key, search ? { row, target, search } : { row, target });
    if (this.prompts.size > REMEMBERED_ROWS) this.prompts.delete(this.prompts.keys().next().value as string);
  }

  /** Where a prompt of run `runId` is remembered: a compared strategy's run, under its comparison's id (Show tree while a comparison is shown too). */
  private rememberedKey(runId: string, promptId: string): string {
    return promptKey(this.comparedRuns.get(runId) ?? runId, promptId);
  }

  /**
   * What this session remembers of prompt `promptId` of run `runId`: never another run's row.
   * After a window reload, a tree Show tree put in the panel still has its search, which the
   * panel kept: its trace row, not one of the run's.
   */
  private remembered(promptId: string, runId: string): Partial<RunPrompt> | undefined {
    const remembered = this.prompts.get(this.rememberedKey(runId, promptId));
    const shown = remembered ? undefined : this.deps.shownOf(promptId, runId);
    return shown?.runId === undefined ? remembered : { search: { runId: shown.runId, promptId: shown.promptId } };
  }

  /**
   * Handles one curation message; never throws. A failure is reported to the user, and the
   * panel gets the prompt's status back, so its buttons come back for another try. Decisions
   * wait for the prompt's search to end: until then its best answer is unknown, and the run's
   * auto-accept could add a row of its own.
   */
  async handle(message: Extract<WebviewToHost, { type: 'accept' | 'reject' | 'preference' }>): Promise<void> {
    const { promptId, runId } = message;
    try {
      if (searchPending(this.deps.statusOf(promptId, runId))) throw new Error('its search is still running; decide once it is done');
      const key = promptKey(runId, promptId);
      if (this.deciding.has(key)) throw new Error('a decision on it is still being saved');
      this.deciding.add(key);
      try {
        await this.decide(message);
      } finally {
        this.deciding.delete(key);
      }
    } catch (error) {
      const reason = errorText(error);
      this.deps.postStatus(promptId, runId, this.deps.statusOf(promptId, runId) ?? 'done', `not saved: ${reason}`, 'error');
      void showError(`TOA Studio: could not save the curation of prompt ${promptId}: ${reason}`);
    }
  }

  private async decide(message: Extract<WebviewToHost, { type: 'accept' | 'reject' | 'preference' }>): Promise<void> {
    const { promptId, runId } = message;
    const remembered = this.remembered(promptId, runId);
    const search = remembered?.search ?? { runId, promptId };
    if (message.type === 'reject') {
      await this.deps.rejected.add(search);
      return this.deps.postStatus(promptId, runId, 'rejected', REJECTED_REASON);
    }
    const target = remembered?.target ?? (await this.deps.target());
    if (!target) throw new Error('open a workspace folder to write outputs');
    refuseSharedOutputs(target.outputs, target.outputFields);
    await refuseLinkedOutputs(target.outputs);
    const { row, tree } = await this.searchOf(promptId, runId, target, remembered);
    await this.holdingOutputs(target, () => this.write(message, target, row, tree));
    // Accept after Reject changes the decision: the prompt shown again reads accepted, as its row says.
    if (message.type === 'accept') await this.deps.rejected.remove(search);
  }

  private async write(message: Extract<WebviewToHost, { type: 'accept' | 'preference' }>, target: CurationTarget, row: PromptRow, tree: SearchTree): Promise<void> {
    const { promptId, runId } = message;
    const curator = new Curator(this.sinksOf(target), target.output, { kind: 'never' });
    if (message.type === 'accept') {
      // One SFT row per prompt: a second would make the dataset weigh this prompt twice. The
      // file is the record, so this holds after a reload and for rows the run auto-accepted.
      if (await this.hasSftRow(target.outputs.sft, target.outputFields.sft, row.messages)) throw new Error(`it already has an SFT row in ${vscode.workspace.asRelativePath(target.outputs.sft)}; edit that file to change it`);
      const text = message.text ?? tree.nodes[message.nodeId]?.text;
      if (text === undefined) throw new Error(`prompt ${message.promptId}: node ${message.nodeId} is not a response`);
      await curator.accept(row, text);
      // The tree keeps the model's text; the verdict says the row holds the user's edit of it.
      const what = message.text === undefined ? 'SFT row' : `your edit of #${message.nodeId} as SFT row`;
      this.deps.postStatus(promptId, runId, 'accepted', acceptedReason(target.outputs.sft, what));
    } else {
      await curator.preference(row, tree, message.chosen, message.rejected);
      // A pair is not an accepted answer: the prompt keeps its status, and Accept stays open.
      this.deps.postStatus(promptId, runId, this.deps.statusOf(promptId, runId) ?? 'done', `preference pair -> ${vscode.workspace.asRelativePath(target.outputs.preference)}`);
    }
  }

  /**
   * Whether the SFT output answers this prompt: Accept is then refused, and Show tree shows the
   * prompt accepted (whichever run, or the user, wrote the row).
   */
  async hasSftRow(sft: vscode.Uri, field: string, messages: readonly ChatMessage[]): Promise<boolean> {
    for await (const line of outputLines(sft, field)) if (line && isSftRowOf(line, messages)) return true;
    return false;
  }

  private sinksOf({ outputs, outputFields: fields }: CurationTarget): Record<keyof OutputSinks, WorkspaceLineSink> {
    const { sinks } = this.deps;
    return { sft: sinks.get(outputs.sft, fields.sft), preference: sinks.get(outputs.preference, fields.preference), trace: sinks.get(outputs.trace, fields.trace) };
  }

  /**
   * The prompt's row and tree from this session, else from its search's trace row: after a
   * window reload, or once the panel dropped an old tree. Both are run `runId`'s (the panel's
   * run): rows of other files without ids share `line-<n>` ids, and the next run's rows are
   * remembered before the panel shows that run.
   */
  private async searchOf(promptId: string, runId: string, target: CurationTarget, remembered: Partial<RunPrompt> | undefined): Promise<{ row: PromptRow; tree: SearchTree }> {
    const row = remembered?.row;
    const tree = this.deps.treeOf(promptId, runId);
    if (row && tree) return { row, tree };
    const search = remembered?.search ?? { runId, promptId };
    const trace = await readLastTraceRow(target.outputs.trace, target.outputFields.trace, (head) => head.id === search.promptId, search.runId);
    if (!trace) throw new Error(`prompt ${search.promptId} is not in ${vscode.workspace.asRelativePath(target.outputs.trace)}`);
    return { row: row ?? { id: promptId, messages: trace.messages, ...(trace.reference === undefined ? {} : { reference: trace.reference }) }, tree: tree ?? trace.tree };
  }
}

/** The key of a run's prompt: a run id holds no newline, so the first one ends it, whatever the prompt id holds. */
function promptKey(runId: string, promptId: string): string {
  return `${runId}\n${promptId}`;
}

/** What the panel says of an accepted prompt: `what` was written to the SFT output. */
export function acceptedReason(sft: vscode.Uri, what = 'SFT row'): string {
  return `${what} -> ${vscode.workspace.asRelativePath(sft)}`;
}
