import type { RunEvent } from '../shared/events';

/**
 * What `toa run` and `toa compare` say about a run's events, in the same words; undefined for
 * events they do not print, such as a warning an earlier strategy of the comparison printed.
 */
export function eventLine(e: RunEvent): string | undefined {
  if (e.type === 'prompt-failed') return `failed: prompt ${e.promptId}: ${e.error}`;
  if (e.type === 'run-warning') return e.repeat ? undefined : `warning: ${e.message}`;
  return undefined;
}
