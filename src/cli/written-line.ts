import type { AutoAccept, CurationResult } from '../core/curation';
import { count } from '../shared/plural';

/** The rows a run appended, by output. */
export class WrittenRows {
  trace = 0;
  sft = 0;
  preference = 0;

  /** One finished search: its trace row, and the SFT row and pair curation took from it. */
  add(result: CurationResult): void {
    this.trace++;
    if (result.sft) this.sft++;
    if (result.preference) this.preference++;
  }

  /**
   * "20 done" beside an SFT file of 2 rows reads as lost rows: say what was written, and that
   * the other best answers were left out by output.autoAcceptAbove.
   */
  line(autoAccept: AutoAccept): string {
    const rows = `written: ${count(this.trace, 'trace row')}, ${count(this.sft, 'SFT row')}, ${count(this.preference, 'preference pair')}`;
    const left = this.trace - this.sft;
    if (autoAccept.kind !== 'above' || left === 0) return rows;
    return `${rows}; ${count(left, 'best answer')} not accepted (output.autoAcceptAbove is ${autoAccept.threshold}): no SFT row or pair`;
  }
}
