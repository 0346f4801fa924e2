import type { RunEvent } from '../shared/events';
import type { AgentStats, RunTotals } from '../shared/stats';
import { alreadyDone, PromptTally, savingText } from '../shared/prompt-counts';
import { eventLine } from './event-lines';
import type { ProgressLine } from './progress';
import type { RetryLines } from '../core/run/retry-lines';
import { count } from '../shared/plural';

/** `toa run`'s progress bar and notes, from the run's events. */
export class ProgressTracker {
  private readonly tally = new PromptTally();
  private cancelled = false;
  /** The run's statistics as its last stats event gave them: a run an error stops returns none. */
  private stats?: { agents: AgentStats[]; totals: RunTotals };
  private stoppedByError = false;

  constructor(
    private readonly progress: ProgressLine,
    /** The input's prompts, those resume skips included. */
    private readonly total: number | undefined,
    /** The retries not said yet: counted before the stop note, so that the cause it points to is directly below it. */
    private readonly retries?: Pick<RetryLines, 'flush'>,
  ) {}

  onEvent(e: RunEvent): void {
    const line = eventLine(e);
    if (line !== undefined) this.progress.log(line);
    // The first one, at the cancel: the Ctrl-C handler said `cancelling` already; a slow disk
    // can hold the end back, so say what for. (Ctrl-C again quits at once; recovery mends it.)
    if (e.type === 'run-cancelling' && !this.cancelled) {
      this.cancelled = true;
      if (e.saving.length) this.progress.log(`cancelling: ${savingText(e.saving)}`);
    }
    if (e.type === 'stats') this.stats = { agents: e.agents, totals: e.totals };
    if (e.type === 'run-done' && e.stopped !== undefined) this.stoppedByError = true;
    // The start, a queued or a cut-short prompt leave the bar as it is.
    if (!this.tally.add(e) || e.type === 'run-start' || e.type === 'prompt-queued' || e.type === 'prompt-cancelled') return;
    // Out of the prompts this run searches: skipped ones counted in read as done by it.
    const { finished, skipped, plays } = this.tally;
    this.progress.update(finished, this.total === undefined ? undefined : this.total - skipped, `prompts${alreadyDone(skipped)} · ${plays} plays`);
  }

  /** What a run an error stopped had done (its final statistics); undefined for any other end. */
  stoppedStats(): { agents: AgentStats[]; totals: RunTotals } | undefined {
    return this.stoppedByError ? this.stats : undefined;
  }

  /**
   * Said just before the error that stopped the run: it may stop hours in (a key revoked), and
   * the error alone does not say that the work done is kept and how to go on from it.
   */
  stopNote(): void {
    const done = this.tally.finished - this.tally.failed;
    if (done === 0) return;
    this.retries?.flush();
    this.progress.log(`stopped: the outputs hold the ${count(done, 'prompt')} done before the stop; once its cause (below) is fixed, run the command again (without --fresh) to go on, the prompts already in the trace are skipped`);
  }

  /** After a cancel: what the run left, and that running it again goes on from there. */
  cancelNote(): string {
    const { finished, skipped, cutShort } = this.tally;
    const left = [`${count(cutShort, 'prompt')} cut short`];
    const notStarted = this.total === undefined ? 0 : this.total - skipped - finished - cutShort;
    if (notStarted > 0) left.push(`${count(notStarted, 'prompt')} not started`);
    return `cancelled: ${left.join(', ')}; run the command again (without --fresh) to go on, the prompts already in the trace are skipped`;
  }
}
