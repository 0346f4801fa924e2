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
  const { signal, pause = nextTurn, sliceMs = 10, clock = systemClock, onProgress } = options;
  signal?.throwIfAborted();
  let sliceEnds = clock.now() + sliceMs;
  for (let i = 0; i < total; i++) {
    step(i);
    if (i + 1 < total && clock.now() >= sliceEnds) {
      onProgress?.(i + 1, total);
      await pause();
      signal?.throwIfAborted();
      sliceEnds = clock.now() + sliceMs;
    }
  }
}
