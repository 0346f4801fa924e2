import type { PromptRow } from './chat';
import type { ToaConfig } from './config/schema';
import { pickPreferencePair, preferenceRow, sftRow, traceRow, type PairOptions } from './dataset/records';
import type { LineSink } from './dataset/writer';
import { bestCandidate } from './search/candidates';
import type { TreeInfo } from './run/types';
import type { Candidate, SearchTree } from '../shared/tree';

/** The three outputs, each a sink of whole lines (node files in the CLI, workspace.fs in the extension). */
export interface OutputSinks {
  sft: LineSink;
  preference: LineSink;
  trace: LineSink;
}

/**
 * When a finished tree's best answer is accepted without a person looking:
 * `all` (the CLI's default), `above` a reward threshold, or `never` (curate in the panel).
 */
export type AutoAccept = { kind: 'all' } | { kind: 'above'; threshold: number } | { kind: 'never' };

export interface CurationResult {
  sft: boolean;
  preference: boolean;
}

/**
 * Turns finished searches and curation decisions into output rows. The CLI and the extension
 * share it, so both write the same rows for the same decisions.
 */
export class Curator {
  private readonly pairOptions: PairOptions;

  constructor(
    private readonly sinks: OutputSinks,
    output: Pick<ToaConfig['output'], 'preferenceRank' | 'preferenceMargin'>,
    private readonly autoAccept: AutoAccept,
  ) {
    this.pairOptions = { rank: output.preferenceRank, margin: output.preferenceMargin };
  }

  /** Writes the trace row; accepts the best answer (with an automatic pair) if the policy says so. */
  async recordTree(tree: SearchTree, row: PromptRow, info: TreeInfo): Promise<CurationResult> {
    await this.sinks.trace.append([JSON.stringify(traceRow(tree, row, info))]);
    const best = bestCandidate(tree);
    if (!best || !this.accepts(best)) return { sft: false, preference: false };
    await this.sinks.sft.append([JSON.stringify(sftRow(row, best.text))]);
    const pair = pickPreferencePair(tree, this.pairOptions);
    if (pair) await this.sinks.preference.append([JSON.stringify(preferenceRow(row, pair.chosen.text, pair.rejected.text))]);
    return { sft: true, preference: pair !== null };
  }

  /** A person accepted an answer (possibly edited): one SFT row. */
  async accept(row: PromptRow, text: string): Promise<void> {
    if (!text.trim()) throw new Error(`prompt ${row.id}: cannot accept an empty answer`);
    await this.sinks.sft.append([JSON.stringify(sftRow(row, text))]);
  }

  /** A person chose a preference pair from the tree. */
  async preference(row: PromptRow, tree: SearchTree, chosenId: number, rejectedId: number): Promise<void> {
    const chosen = responseText(tree, chosenId);
    const rejected = responseText(tree, rejectedId);
    if (chosenId === rejectedId || chosen === rejected) throw new Error(`prompt ${row.id}: chosen and rejected must differ`);
    await this.sinks.preference.append([JSON.stringify(preferenceRow(row, chosen, rejected))]);
  }

  private accepts(best: Candidate): boolean {
    if (this.autoAccept.kind === 'all') return true;
    return this.autoAccept.kind === 'above' && best.reward >= this.autoAccept.threshold;
  }
}

function responseText(tree: SearchTree, id: number): string {
  const node = tree.nodes[id];
  if (node?.kind !== 'response' || node.text === undefined) throw new Error(`prompt ${tree.promptId}: node ${id} is not a response`);
  return node.text;
}

