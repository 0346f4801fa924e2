import type { RunEvent } from '../../shared/events';
import type { RetryNotice } from '../agents/types';
import type { Clock } from '../util/clock';
import type { RunStats } from './stats';

/** Stats events are throttled to at most one per this many ms (plus a final one). */
export const STATS_INTERVAL_MS = 250;

/**
 * Agents report retries through their own `onRetry` hook (they are built by the shell, before
 * the run); the shell forwards them into the run's event stream with this:
 * `createModels(config, { ..., onRetry: (n) => onEvent(retryEvent(n)) })`.
 */
export function retryEvent(notice: RetryNotice): RunEvent {
  return { type: 'call-retry', agent: notice.agent, ...(notice.reward ? { reward: true } : {}), attempt: notice.attempt, reason: notice.reason, delayMs: notice.delayMs };
}

/**
 * The run's outgoing events. Stats go out at most every STATS_INTERVAL_MS: a change inside the
 * interval is sent when it ends (a trailing timer on the run's clock), so the last numbers shown
 * are never stale by more than the interval.
 */
export class RunReporter {
  private lastStats = -Infinity;
  private pending: AbortController | undefined;

  constructor(
    private readonly onEvent: (event: RunEvent) => void,
    private readonly stats: RunStats,
    private readonly clock: Clock,
  ) {}

  emit(event: RunEvent): void {
    this.onEvent(event);
  }

  statsChanged(): void {
    if (this.pending) return;
    const wait = this.lastStats + STATS_INTERVAL_MS - this.clock.now();
    if (wait <= 0) return this.sendStats();
    const timer = new AbortController();
    this.pending = timer;
    this.clock.sleep(wait, timer.signal).then(
      () => {
        // A sleep that resolved just as finish() ran must not send after the final stats.
        if (this.pending !== timer) return;
        this.pending = undefined;
        this.sendStats();
      },
      () => undefined, // cancelled by finish()
    );
  }

  /** Cancels a pending stats event and sends the final one. */
  finish(): void {
    this.pending?.abort();
    this.pending = undefined;
    this.sendStats();
  }

  private sendStats(): void {
    const now = this.clock.now();
    this.lastStats = now;
    this.emit({ type: 'stats', agents: this.stats.agentStats(), totals: this.stats.runTotals(now) });
  }
}
