import { count, plural } from '../shared/plural';
import { errorText } from '../core';

/** A run that did not finish: what ended it, what it did, and how it was started. */
export interface EndedRun {
  end: 'cancel' | 'stop';
  /** Prompts this run finished: each has its trace row (and the SFT row and pair curation took from it). */
  done: number;
  /** Synthesize File: its next run skips the prompts the trace already holds. A selection is searched again in full. */
  resume: boolean;
  /** Where the prompts came from, e.g. `prompts.jsonl` or `prompts.jsonl lines 2-4`. */
  source: string;
}

/**
 * What a cancelled or stopped run kept, and how to go on: a run may end hours in (a key revoked),
 * and its end alone does not say that the work done is kept. Synthesize File goes on where it
 * stopped, as `toa run` does; running a selection again searches all of it, the prompts done too.
 */
export function stopHint({ end, done, resume, source }: EndedRun): string {
  const kept = done ? `The outputs hold the ${count(done, 'prompt')} done before the ${end}` : 'Nothing was written';
  const fixed = end === 'stop' ? 'once its cause is fixed, ' : '';
  if (resume) return `${kept}; ${fixed}Synthesize File on ${source} goes on where this run stopped, skipping the prompts already in the trace.`;
  if (!done) return `${kept}; ${fixed}Synthesize Selection searches it again.`;
  return `${kept}; Synthesize Selection would search ${plural(done, 'it', 'them')} again, as it searches a selection in full: ${fixed}select only the prompts left, or run Synthesize File, which skips the prompts already in the trace (over the whole file).`;
}

/** The error that stopped a run, with what the run kept and how to go on after it (see stopHint). */
export function withStopHint(error: unknown, hint: string): Error {
  const message = errorText(error);
  return new Error(`${message}${/[.!?]$/.test(message) ? '' : '.'} ${hint}`, { cause: error });
}
