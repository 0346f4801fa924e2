import type { PromptRow } from './chat';
import type { ToaConfig } from './config/schema';
import { answerCandidates, pickPreferencePair, preferenceRow, sftRow, traceRow, type DerivedRows, type PairOptions } from './dataset/records';
import { jsonLine } from './dataset/json-line';
import type { LineSink } from './dataset/writer';
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
  /**
   * The best answer's reward is under the auto-accept threshold. A tree without one that is not
   * blank, or a prompt the SFT output already answers, gets no row either, for those reasons.
   */
  belowThreshold: boolean;
}

/**
 * Turns finished searches and curation decisions into output rows. The CLI and the extension
 * share it, so both write the same rows for the same decisions.
 */
export class Curator {
  private readonly pairOptions: PairOptions;

  /**
   * `hasSftRow`: whether the SFT output already answers a prompt. Auto-accept then passes it
   * over (the editor runs a selection again on request; a second SFT row would weigh the prompt
   * twice). Without it every accepted search gets its row.
   */
  constructor(
    private readonly sinks: OutputSinks,
    output: Pick<ToaConfig['output'], 'preferenceRank' | 'preferenceMargin'>,
    private readonly autoAccept: AutoAccept,
    private readonly hasSftRow?: (row: PromptRow) => boolean,
  ) {
    this.pairOptions = { rank: output.preferenceRank, margin: output.preferenceMargin };
  }

  /**
   * Writes the trace row, then what the policy accepts from it: the best answer (that is not
   * blank) as an SFT row
   * and an automatic pair. The trace row comes first and names those rows (`derived`), so it is
   * the commit record: a crash after it loses nothing (recoverDerivedRows writes them again),
   * and a crash before it leaves the prompt to be searched again on resume.
   */
  async recordTree(tree: SearchTree, row: PromptRow, info: TreeInfo): Promise<CurationResult> {
    const best = answerCandidates(tree)[0];
    const accepted = best !== undefined && this.accepts(best) && !this.hasSftRow?.(row);
    const pair = accepted ? pickPreferencePair(tree, this.pairOptions) : null;
    const derived: DerivedRows = { sft: accepted ? best.nodeId : null, preference: pair && [pair.chosen.nodeId, pair.rejected.nodeId] };
    await this.sinks.trace.append([jsonLine(traceRow(tree, row, info, derived))]);
    if (!accepted) return { sft: false, preference: false, belowThreshold: best !== undefined && this.belowThreshold(best) };
    await this.sinks.sft.append([jsonLine(sftRow(row, best.text))]);
    if (pair) await this.sinks.preference.append([jsonLine(preferenceRow(row, pair.chosen.text, pair.rejected.text))]);
    return { sft: true, preference: pair !== null, belowThreshold: false };
  }

  /** A person accepted an answer (possibly edited): one SFT row. */
  async accept(row: PromptRow, text: string): Promise<void> {
    if (!text.trim()) throw new Error(`prompt ${row.id}: cannot accept an empty answer`);
    await this.sinks.sft.append([jsonLine(sftRow(row, text))]);
  }

  /** A person chose a preference pair from the tree. */
  async preference(row: PromptRow, tree: SearchTree, chosenId: number, rejectedId: number): Promise<void> {
    const chosen = responseText(tree, chosenId);
    const rejected = responseText(tree, rejectedId);
    if (chosenId === rejectedId || chosen === rejected) throw new Error(`prompt ${row.id}: chosen and rejected must differ`);
    if (!chosen.trim() || !rejected.trim()) throw new Error(`prompt ${row.id}: a blank answer cannot be either side of a pair`);
    await this.sinks.preference.append([jsonLine(preferenceRow(row, chosen, rejected))]);
  }

  private accepts(best: Candidate): boolean {
    return this.autoAccept.kind === 'all' || (this.autoAccept.kind === 'above' && !this.belowThreshold(best));
  }

  private belowThreshold(best: Candidate): boolean {
    return this.autoAccept.kind === 'above' && best.reward < this.autoAccept.threshold;
  }
}

function responseText(tree: SearchTree, id: number): string {
  const node = tree.nodes[id];
  if (node?.kind !== 'response' || node.text === undefined) throw new Error(`prompt ${tree.promptId}: node ${id} is not a response`);
  return node.text;
}

