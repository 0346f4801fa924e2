/** A counting semaphore with FIFO waiters; waiting can be aborted. */
export class Semaphore {
  private readonly waiters: Array<() => void> = [];
  private inUse = 0;

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`Semaphore capacity must be >= 1, got ${capacity}`);
  }

  get active(): number {
    return this.inUse;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.take(signal)) return;
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Takes a free slot now, if there is one; throws the abort reason once `signal` aborted. */
  private take(signal: AbortSignal | undefined): boolean {
    signal?.throwIfAborted();
    if (this.inUse >= this.capacity) return false;
    this.inUse++;
    return true;
  }

  /** Hands the slot straight to the next waiter, so `inUse` never dips and overshoots. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.inUse--;
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // A free slot is taken at once, without the extra await acquire() costs: most calls find one.
    if (!this.take(signal)) await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
