import type { Clock } from '../util/clock';
import { Semaphore } from '../util/semaphore';

/**
 * At most `requestsPerMinute` request starts in any rolling minute, timed by the injected Clock
 * (a sliding window of start times). Written here rather than taken from a library because the
 * common ones (bottleneck, p-throttle, limiter) read the system time directly, and tests and
 * golden runs need to drive time themselves.
 *
 * A fractional rate is honoured exactly by widening the window: 1.5 per minute allows 2 starts
 * per 80 s.
 */
export class RateLimiter {
  private readonly starts: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;
  /** One caller waits at a time, so waiting callers start in arrival order. */
  private readonly turn = new Semaphore(1);

  constructor(
    requestsPerMinute: number,
    private readonly clock: Clock,
  ) {
    if (!(requestsPerMinute > 0)) throw new Error(`requestsPerMinute must be > 0, got ${requestsPerMinute}`);
    this.limit = Math.ceil(requestsPerMinute);
    this.windowMs = (60_000 * this.limit) / requestsPerMinute;
  }

  /** Resolves when a request may start (and counts it); rejects with the abort reason. */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.turn.run(async () => {
      // Each pass either records a start or sleeps until the oldest start leaves the window.
      for (;;) {
        const now = this.clock.now();
        while (this.starts.length && this.starts[0]! <= now - this.windowMs) this.starts.shift();
        if (this.starts.length < this.limit) {
          this.starts.push(now);
          return;
        }
        await this.clock.sleep(this.starts[0]! + this.windowMs - now, signal);
      }
    }, signal);
  }
}
