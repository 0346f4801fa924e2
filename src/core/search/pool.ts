import { setMaxListeners } from 'node:events';
import { abortScope, type AbortScope } from '../util/abort-scope';
import type { PlayOutcome, PlayRequest, SearchEnv } from './types';

/**
 * Runs a baseline's independent plays concurrently (the run's scheduler limits the calls) while
 * the strategy consumes their outcomes in request order, so the tree comes out the same however
 * the calls finish. The first failure stops the plays still in flight and is what the strategy
 * throws, rather than the abort errors it caused in the others.
 */
export class PlayPool {
  /** Never released: `outer` is the prompt's own scope (see runStrategy) and goes with it. */
  private readonly stop: AbortScope;
  /** Aborted by the caller's signal or by the first failed play; its reason is whichever came first. */
  readonly signal: AbortSignal;

  constructor(
    private readonly env: Pick<SearchEnv, 'play'>,
    outer: AbortSignal,
  ) {
    this.stop = abortScope(outer);
    this.signal = this.stop.signal;
    // A baseline starts all its plays at once; each waits for a slot listening to this signal.
    setMaxListeners(0, this.signal);
  }

  /** Starts a play now. */
  start(request: PlayRequest): Promise<PlayOutcome> {
    return this.after(Promise.resolve(), () => request);
  }

  /** Starts a play once `before` settles, with a request built from its result (refine/aggregate chains). */
  after<T>(before: Promise<T>, next: (value: T) => PlayRequest): Promise<PlayOutcome> {
    const play = before.then((value) => {
      this.signal.throwIfAborted();
      return this.env.play(next(value), this.signal);
    });
    // Outcomes are awaited in order, so a later play can fail while nobody awaits it yet:
    // observe every failure here (no unhandled rejection) and stop the rest. Aborting twice
    // keeps the first reason.
    play.catch((error: unknown) => this.stop.abort(error));
    return play;
  }

  /** Awaits one outcome; once the pool stopped, throws the reason it stopped for. */
  outcome(play: Promise<PlayOutcome>): Promise<PlayOutcome> {
    return unlessAborted(play, this.signal);
  }
}

/**
 * Awaits a call, but once `signal` aborted throws its reason instead: a client aborted mid-call
 * rejects with its own error (hiding the cause), and one that ignores the signal may still answer.
 */
export async function unlessAborted<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  let result: T;
  try {
    result = await call;
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  }
  signal.throwIfAborted();
  return result;
}
