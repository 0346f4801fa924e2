/**
 * A child of `parent` that is let go when its work ends. Node 20's AbortSignal.any keeps every
 * signal it made reachable from its sources for as long as they live: one any() per prompt over
 * the run's signal retained about 2 KB per prompt for the whole run. A listener can be removed.
 */
export function abortScope(parent: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener('abort', onAbort) };
}
