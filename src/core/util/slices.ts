import { systemClock, type Clock } from './clock';

export interface SliceOptions {
  /** Ends the work at its next pause (or before it starts), rejecting with the signal's reason. */
  signal?: AbortSignal;
  /** Gives the event loop its turn between slices. Default: the next setImmediate. */
  pause?: () => Promise<void>;
  /** How long a slice may run before it pauses, in ms of `clock` (default 10). */
  sliceMs?: number;
  clock?: Pick<Clock, 'now'>;
  /** At each pause: how many of the `total` steps are done. */
  onProgress?: (done: number, total: number) => void;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `step(0)` ... `step(total - 1)`, pausing whenever a slice has run `sliceMs`: a long loop in
 * a process that serves others (VS Code's extension host) must not hold its event loop for
 * seconds, and a cancel must reach it meanwhile. The clock is read after every step, as one
 * step can be long (a row of a megabyte).
 */
export async function inSlices(total: number, step: (index: number) => void, options: SliceOptions = {}): Promise<void> {
  const slices = new Slices(options);
  for (let i = 0; i < total; i++) {
    step(i);
    if (i + 1 < total && slices.due()) await slices.pause(i + 1, total);
  }
}

/**
 * The pauses of inSlices, for a loop that is not over indexes (the lines of a file as they are
 * read): the loop asks `due()` after each step, and awaits `pause` when it says so. An aborted
 * signal throws its reason at once, before the first step.
 */
export class Slices {
  private sliceEnds: number;

  constructor(private readonly options: SliceOptions = {}) {
    options.signal?.throwIfAborted();
    this.sliceEnds = this.now() + this.sliceMs;
  }

  /** Whether the slice has run its time: read after every step. */
  due(): boolean {
    return this.now() >= this.sliceEnds;
  }

  /** Says how far the work got, gives the event loop its turn, and rejects if a cancel came meanwhile. */
  async pause(done: number, total: number): Promise<void> {
    const { signal, pause = nextTurn, onProgress } = this.options;
    onProgress?.(done, total);
    await pause();
    signal?.throwIfAborted();
    this.sliceEnds = this.now() + this.sliceMs;
  }

  private get sliceMs(): number {
    return this.options.sliceMs ?? 10;
  }

  private now(): number {
    return (this.options.clock ?? systemClock).now();
  }
}
