import type { AutoAccept, CurationResult } from '../core/curation';
import { count } from '../shared/plural';

/** The rows a run appended, by output. */
export class WrittenRows {
  trace = 0;
  sft = 0;
  preference = 0;
  /** Best answers output.autoAcceptAbove left out (not those left out for being blank). */
  private belowThreshold = 0;

  /** One finished search: its trace row, and the SFT row and pair curation took from it. */
  add(result: CurationResult): void {
    this.trace++;
    if (result.sft) this.sft++;
    if (result.preference) this.preference++;
    if (result.belowThreshold) this.belowThreshold++;
  }

  /**
   * "20 done" beside an SFT file of 2 rows reads as lost rows: say what was written, and how
   * many best answers output.autoAcceptAbove left out. A tree whose answers were all blank has
   * no row either, but the threshold did not leave it out. A run that finished no prompt wrote
   * nothing, and says so.
   */
  line(autoAccept: AutoAccept): string {
    // A run an error stopped says so too: its outputs may not even exist.
    if (this.trace === 0) return 'written: nothing';
    const rows = `written: ${count(this.trace, 'trace row')}, ${count(this.sft, 'SFT row')}, ${count(this.preference, 'preference pair')}`;
    if (autoAccept.kind !== 'above' || this.belowThreshold === 0) return rows;
    return `${rows}; ${count(this.belowThreshold, 'best answer')} not accepted (output.autoAcceptAbove is ${autoAccept.threshold}): no SFT row or pair`;
  }
}
