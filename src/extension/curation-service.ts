import * as vscode from 'vscode';
import { conversationKey, Curator, isSftRowOf, lockOutsideRun, restoreDerivedRows, restoreFailed, sftPromptKey, type AutoAccept, type ChatMessage, type OutputLock, type OutputSinks, type PromptRow, type SearchTree, type ToaConfig } from '../core';
import { searchPending } from '../shared/panel-state';
import type { PromptStatus, WebviewToHost } from '../shared/protocol';
import { refuseLinkedOutputs, refuseSharedOutputs, type OutputUris } from './config-source';
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


/**
 * Curation decisions from the panel (accept, edit-and-accept, reject, preference pair) turned
 * into output rows at once, through the same Curator the CLI uses.
 */
export class CurationService {
  private readonly prompts = new Map<string, RunPrompt>();
  /** Prompts with a decision being written: a second one is refused until the first has landed. */
  private readonly deciding = new Set<string>();

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
   * Readies outputs on disk for the holder of their `lock`, as the CLI does before it reads them:
   * a last line a crash cut short is removed; then, when the lock was taken over from runs that
   * died (a crash, a closed window), the SFT rows and pairs they had not written after their
   * trace rows are written (see core/dataset/recover.ts). Returns the note to show, if any.
   * Should restoring fail, the error says the lock is kept for the next run (restoreFailed).
   */
  async prepareOutputs(target: CurationTarget, lock: OutputLock): Promise<string | undefined> {
    const sinks = this.sinksOf(target);
    const { sft, preference, trace } = target.outputs;
    const { crashed } = lock;
    try {
      await Promise.all([sinks.sft, sinks.preference, sinks.trace].map((sink) => sink.repair(lock)));
      return await restoreDerivedRows({ sft: sft.fsPath, preference: preference.fsPath, trace: trace.fsPath }, crashed, sinks);
    } catch (error) {
      throw crashed.runIds.length ? restoreFailed(trace.fsPath, crashed.runIds, error) : error;
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
  private async holdingOutputs<T>(target: CurationTarget, write: () => Promise<T>): Promise<T> {
    const { outputs } = target;
    // A virtual file system has no lock (as for a run): its files are only ever replaced whole.
    if (!Object.values(outputs).every((uri) => uri.scheme === 'file')) return write();
    const lock = lockOutsideRun(outputs.trace.fsPath, `hand-${Date.now().toString(36)}`, target.outputFields.trace);
    if (!lock) return write();
    try {
      const recovered = await this.prepareOutputs(target, lock);
      if (recovered) void showWarning(`TOA Studio: ${recovered}`);
      lock.appending({ sft: outputs.sft.fsPath, preference: outputs.preference.fsPath, trace: outputs.trace.fsPath });
      return await write();
    } finally {
      lock.release();
    }
  }

  /**
   * A prompt a run is about to search: decisions on it go to that run's outputs. `search`: the
   * trace row's run and prompt id, for a tree Show tree put in the panel (whose run and key are
   * not the search's); by default the search is the panel's run's, under the prompt's id.
   */
  remember(row: PromptRow, target: CurationTarget, search?: SearchRef): void {
    this.prompts.delete(row.id);
    this.prompts.set(row.id, search ? { row, target, search } : { row, target });
    if (this.prompts.size > REMEMBERED_ROWS) this.prompts.delete(this.prompts.keys().next().value as string);
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
      if (this.deciding.has(promptId)) throw new Error('a decision on it is still being saved');
      this.deciding.add(promptId);
      try {
        await this.decide(message);
      } finally {
        this.deciding.delete(promptId);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.postStatus(promptId, runId, this.deps.statusOf(promptId, runId) ?? 'done', `not saved: ${reason}`, 'error');
      void showError(`TOA Studio: could not save the curation of prompt ${promptId}: ${reason}`);
    }
  }

  private async decide(message: Extract<WebviewToHost, { type: 'accept' | 'reject' | 'preference' }>): Promise<void> {
    const { promptId, runId } = message;
    if (message.type === 'reject') {
      await this.deps.rejected.add(this.prompts.get(promptId)?.search ?? { runId, promptId });
      return this.deps.postStatus(promptId, runId, 'rejected', REJECTED_REASON);
    }
    const target = this.prompts.get(message.promptId)?.target ?? (await this.deps.target());
    if (!target) throw new Error('open a workspace folder to write outputs');
    refuseSharedOutputs(target.outputs, target.outputFields);
    await refuseLinkedOutputs(target.outputs);
    const { row, tree } = await this.searchOf(promptId, runId, target);
    await this.holdingOutputs(target, () => this.write(message, target, row, tree));
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
   * The prompt's row and tree from this session, else from its trace row: after a window
   * reload, or once the panel dropped an old tree. The row is the panel's run's: rows of
   * other files without ids share `line-<n>` ids.
   */
  private async searchOf(promptId: string, runId: string, target: CurationTarget): Promise<{ row: PromptRow; tree: SearchTree }> {
    const row = this.prompts.get(promptId)?.row;
    const tree = this.deps.treeOf(promptId, runId);
    if (row && tree) return { row, tree };
    const trace = await readLastTraceRow(target.outputs.trace, target.outputFields.trace, (head) => head.id === promptId, runId);
    if (!trace) throw new Error(`prompt ${promptId} is not in ${vscode.workspace.asRelativePath(target.outputs.trace)}`);
    return { row: row ?? { id: promptId, messages: trace.messages, ...(trace.reference === undefined ? {} : { reference: trace.reference }) }, tree: tree ?? trace.tree };
  }
}

/** What the panel says of an accepted prompt: `what` was written to the SFT output. */
export function acceptedReason(sft: vscode.Uri, what = 'SFT row'): string {
  return `${what} -> ${vscode.workspace.asRelativePath(sft)}`;
}
