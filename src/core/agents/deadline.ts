import { FaultError } from './retry';

/**
 * Runs one attempt under a time limit. The limit covers the whole attempt, including a streamed
 * body (an SDK's own timeout stops at the headers). Whatever the attempt throws once the limit
 * has passed becomes a retryable timeout fault; the caller's own abort passes through untouched.
 *
 * This uses real timers, not the injectable Clock: it guards sockets, which live in real time,
 * while the Clock paces the waits we choose (backoff, rate limits). The caller's signal is
 * linked by hand rather than with AbortSignal.any, so nothing stays attached to a long-lived
 * run signal after the attempt.
 */
export async function withDeadline<T>(signal: AbortSignal, timeoutMs: number, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const handle = setTimeout(() => {
    timedOut = true;
    controller.abort(new FaultError({ retryable: true, reason: `timed out after ${timeoutMs} ms` }));
  }, timeoutMs);
  try {
    return await attempt(controller.signal);
  } catch (error) {
    if (timedOut && !signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(handle);
    signal.removeEventListener('abort', onAbort);
  }
}
