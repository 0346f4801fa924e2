/** Timer functions, injectable so tests can drive time by hand. */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Collects items and hands them over in one batch at most every `intervalMs`: a search emits
 * thousands of events a second, and one postMessage per event would swamp the webview. After a
 * quiet spell the first item goes out at once, so a slow run still feels live.
 */
export class EventBatcher<T> {
  private items: T[] = [];
  private timer: unknown;
  private lastFlush = -Infinity;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly intervalMs = 50,
    private readonly timers: Timers = realTimers,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => this.flushNow(), wait);
  }

  /** Hands over whatever is pending right away (to keep order with a message sent next). */
  flushNow(): void {
    this.cancelTimer();
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.lastFlush = this.timers.now();
    this.flush(items);
  }

  /** Forgets pending items (they are already in the snapshot a reloaded webview receives). */
  discard(): void {
    this.cancelTimer();
    this.items = [];
  }

  get pending(): number {
    return this.items.length;
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
