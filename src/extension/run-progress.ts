import type { RunEvent } from '../shared/events';
import { alreadyDone, PromptTally, savingText } from '../shared/prompt-counts';

/** One report to the progress notification; `increment` in percent, as vscode.Progress takes it. */
export interface ProgressStep {
  increment: number;
  message: string;
}

/**
 * The progress notification's reports. It knows the request's prompts up front (`prompts`); those
 * resume finds in the trace leave its total as they are read, so the bar measures what this run
 * searches rather than jumping ahead for work done before.
 */
export class RunProgress {
  private readonly tally = new PromptTally();
  private percent = 0;
  private cancelling: string | undefined;

  constructor(private readonly prompts: number) {}

  /** The report an event calls for: none until a prompt ends or is skipped, or the run is cancelled. */
  step(event: RunEvent): ProgressStep | undefined {
    // The notification stays until the run has ended: once cancelled, it says what the run
    // waits for, also as the prompts it was saving are done.
    if (event.type === 'run-cancelling') {
      this.cancelling = `cancelling: ${savingText(event.saving)}...`;
      return { increment: 0, message: this.cancelling };
    }
    const ends = event.type === 'prompt-done' || event.type === 'prompt-failed' || event.type === 'prompt-skipped';
    if (!ends || !this.tally.add(event)) return undefined;
    const { finished, skipped } = this.tally;
    const total = this.prompts - skipped;
    const percent = total > 0 ? (100 * finished) / total : 100;
    const increment = percent - this.percent;
    this.percent = percent;
    return { increment, message: this.cancelling ?? `${finished}/${total} prompts${alreadyDone(skipped)}` };
  }
}
