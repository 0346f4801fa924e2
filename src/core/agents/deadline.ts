import { abortScope, type AbortScope } from '../util/abort-scope';
import { FaultError } from './retry';

/**
 * Runs one attempt under a time limit. The limit covers the whole attempt, including a streamed
 * body (an SDK's own timeout stops at the headers). Whatever the attempt throws once the limit
 * has passed becomes a retryable timeout fault; the caller's own abort passes through untouched.
 *
 * This uses real timers, not the injectable Clock: it guards sockets, which live in real time,
 * while the Clock paces the waits we choose (backoff, rate limits). The caller's signal is
 * linked through an abortScope, released after the attempt.
 */
export async function withDeadline<T>(signal: AbortSignal, timeoutMs: number, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const scope = abortScope(signal);
  const handle = setTimeout(expire, timeoutMs, scope, timeoutMs);
  try {
    return await attempt(scope.signal);
  } catch (error) {
    // Only the caller's signal and the deadline abort the scope: aborted alone, it timed out.
    if (scope.signal.aborted && !signal.aborted) throw scope.signal.reason;
    throw error;
  } finally {
    clearTimeout(handle);
    scope.release();
  }
}

function expire(scope: AbortScope, timeoutMs: number): void {
  scope.abort(new FaultError({ retryable: true, reason: `timed out after ${timeoutMs} ms` }));
}
