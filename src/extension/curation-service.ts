import * as vscode from 'vscode';
import { Curator, type AutoAccept, type OutputSinks, type PromptRow, type SearchTree, type ToaConfig } from '../core';
import type { PromptStatus, WebviewToHost } from '../shared/protocol';
import type { OutputUris } from './config-source';
import { lastTraceRow } from './trace-ids';
import type { SinkRegistry } from './workspace-sink';

/** Rows kept for curation by hand; older ones are read back from the trace output. */
const REMEMBERED_ROWS = 10_000;

/** Where a curation decision is written, and how the panel learns about it. */
export interface CurationTarget {
  output: ToaConfig['output'];
  outputs: OutputUris;
}

export interface CurationDeps {
  sinks: SinkRegistry;
  /** The tree the panel holds for a prompt. */
  treeOf(promptId: string): SearchTree | undefined;
  postStatus(promptId: string, status: PromptStatus, reason?: string): void;
  /** The outputs of the folder the prompt came from (last run's, else the first folder's). */
  target(): Promise<CurationTarget | undefined>;
}

/**
 * Curation decisions from the panel (accept, edit-and-accept, reject, preference pair) turned
 * into output rows at once, through the same Curator the CLI uses.
 */
export class CurationService {
  private readonly rows = new Map<string, PromptRow>();

  constructor(private readonly deps: CurationDeps) {}

  /** The Curator of one run: auto-accept per policy, trace rows always. */
  curatorFor(target: CurationTarget, autoAccept: AutoAccept): Curator {
    return new Curator(this.sinksOf(target.outputs), target.output, autoAccept);
  }

  remember(row: PromptRow): void {
    this.rows.delete(row.id);
    this.rows.set(row.id, row);
    if (this.rows.size > REMEMBERED_ROWS) this.rows.delete(this.rows.keys().next().value as string);
  }

  /** Handles one curation message; reports failures to the user and the panel, never throws. */
  async handle(message: Extract<WebviewToHost, { type: 'accept' | 'reject' | 'preference' }>): Promise<void> {
    try {
      if (message.type === 'reject') return this.deps.postStatus(message.promptId, 'rejected', 'rejected: nothing written');
      const target = await this.deps.target();
      if (!target) throw new Error('open a workspace folder to write outputs');
      const { row, tree } = await this.searchOf(message.promptId, target);
      const curator = this.curatorFor(target, { kind: 'never' });
      if (message.type === 'accept') {
        const text = message.text ?? tree.nodes[message.nodeId]?.text;
        if (text === undefined) throw new Error(`prompt ${message.promptId}: node ${message.nodeId} is not a response`);
        await curator.accept(row, text);
        this.deps.postStatus(message.promptId, 'accepted', `SFT row -> ${vscode.workspace.asRelativePath(target.outputs.sft)}`);
      } else {
        await curator.preference(row, tree, message.chosen, message.rejected);
        this.deps.postStatus(message.promptId, 'accepted', `preference pair -> ${vscode.workspace.asRelativePath(target.outputs.preference)}`);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`TOA Studio: could not save the curation of prompt ${message.promptId}: ${reason}`);
    }
  }

  private sinksOf(outputs: OutputUris): OutputSinks {
    return { sft: this.deps.sinks.get(outputs.sft), preference: this.deps.sinks.get(outputs.preference), trace: this.deps.sinks.get(outputs.trace) };
  }

  /**
   * The prompt's row and tree from this session, else from its trace row: after a window
   * reload, or once the panel dropped an old tree.
   */
  private async searchOf(promptId: string, target: CurationTarget): Promise<{ row: PromptRow; tree: SearchTree }> {
    const row = this.rows.get(promptId);
    const tree = this.deps.treeOf(promptId);
    if (row && tree) return { row, tree };
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target.outputs.trace));
    const trace = lastTraceRow(text, promptId);
    if (!trace) throw new Error(`prompt ${promptId} is not in ${vscode.workspace.asRelativePath(target.outputs.trace)}`);
    return { row: row ?? { id: promptId, messages: trace.messages, ...(trace.reference === undefined ? {} : { reference: trace.reference }) }, tree: tree ?? trace.tree };
  }
}
