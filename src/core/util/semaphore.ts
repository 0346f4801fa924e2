interface Waiter {
  priority: number;
  grant(): void;
}

/**
 * A counting semaphore whose waiters are served by priority (lower first; FIFO within a
 * priority), so without priorities it is a plain FIFO semaphore. Waiting can be aborted.
 *
 * The run's gate passes each prompt's input order as priority, so a baseline that asks for 40
 * plays at once does not delay the prompts before it; agents and the rate limiter wait in
 * arrival order.
 */
export class Semaphore {
  private readonly waiters: Waiter[] = [];
  private inUse = 0;

  /** `what` names the capacity in the error for one below 1 (e.g. `run.concurrency`). */
  constructor(
    readonly capacity: number,
    what = 'Semaphore capacity',
  ) {
    if (!(capacity >= 1)) throw new Error(`${what} must be >= 1, got ${capacity}`);
  }

  get active(): number {
    return this.inUse;
  }

  /** `fn` holding a slot; rejects with the abort reason if `signal` aborts before one is free. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal, priority = 0): Promise<T> {
    // A free slot is taken at once, without an extra await: most calls find one.
    if (!this.take(signal)) await this.wait(signal, priority);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Takes a free slot now, if there is one; throws the abort reason once `signal` aborted. */
  private take(signal: AbortSignal | undefined): boolean {
    signal?.throwIfAborted();
    if (this.inUse >= this.capacity) return false;
    this.inUse++;
    return true;
  }

  /** Resolves when a released slot is handed to us; rejects with the abort reason. */
  private wait(signal: AbortSignal | undefined, priority: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      this.waiters.splice(this.insertionIndex(priority), 0, waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands the slot straight to the next waiter, so `inUse` never dips and overshoots. */
  private release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.inUse--;
  }

  /** After the last waiter of the same or a better priority (binary search). */
  private insertionIndex(priority: number): number {
    let lo = 0;
    let hi = this.waiters.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.waiters[mid]!.priority <= priority) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
