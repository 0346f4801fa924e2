interface Waiter {
  priority: number;
  grant(): void;
}

/**
 * The run's one global limit on plays in flight. A counting semaphore whose waiters are served
 * by priority (lower first; FIFO within a priority) rather than arrival: the scheduler gives each
 * prompt its input order as priority, so a baseline that asks for 40 plays at once does not
 * delay the prompts before it, and prompts tend to finish (and reach the outputs) in order.
 */
export class PriorityGate {
  private readonly waiters: Waiter[] = [];
  private inUse = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`run.concurrency must be >= 1, got ${capacity}`);
  }

  get active(): number {
    return this.inUse;
  }

  /** Resolves when a slot is ours; rejects with the abort reason if `signal` aborts first. */
  acquire(priority: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.inUse < this.capacity) {
      this.inUse++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal.reason);
      };
      this.waiters.splice(this.insertionIndex(priority), 0, waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands the slot straight to the next waiter, so the count never dips and overshoots. */
  release(): void {
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
