/**
 * A child of `parent` that can also be aborted on its own, and let go of `parent` when its work
 * ends. Linked by a listener rather than AbortSignal.any: Node 20 keeps every signal any() made
 * reachable from its sources for as long as they live (a play pool's any() over a long-lived
 * signal retained about 2 KB per prompt for a whole run), while a listener can be removed.
 */
export interface AbortScope {
  readonly signal: AbortSignal;
  /** Aborts this scope alone; the first reason wins, the parent's included. */
  abort(reason: unknown): void;
  /** Stops listening to the parent. */
  release(): void;
}

export function abortScope(parent: AbortSignal): AbortScope {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    release: () => parent.removeEventListener('abort', onAbort),
  };
}
