import type { PlayOutcome, PlayRequest, SearchEnv } from './types';

/**
 * Runs a baseline's independent plays concurrently (the run's scheduler limits the calls) while
 * the strategy consumes their outcomes in request order, so the tree comes out the same however
 * the calls finish. The first failure stops the plays still in flight and is what the strategy
 * throws, rather than the abort errors it caused in the others.
 */
export class PlayPool {
  private readonly stop = new AbortController();
  private failure: { error: unknown } | undefined;
  readonly signal: AbortSignal;

  constructor(
    private readonly env: Pick<SearchEnv, 'play'>,
    outer: AbortSignal,
  ) {
    this.signal = AbortSignal.any([outer, this.stop.signal]);
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
    // observe every failure here (no unhandled rejection) and stop the rest.
    play.catch((error: unknown) => this.fail(error));
    return play;
  }

  /** Awaits one outcome; throws the first failure of the whole pool if anything failed. */
  async outcome(play: Promise<PlayOutcome>): Promise<PlayOutcome> {
    try {
      const result = await play;
      this.signal.throwIfAborted();
      return result;
    } catch (error) {
      throw this.failure ? this.failure.error : error;
    }
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.stop.abort(error);
  }
}
