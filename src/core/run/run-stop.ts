/**
 * A run's own stop. An error the run cannot go on from (an output that cannot be written, a row
 * source that fails, an endpoint every later call would fail on) ends it like a cancel. It is
 * halted where it is found: a play that meets a revoked key stops the run before its model slot
 * passes to the next waiting call, not once the search waiting on that play gets to its result
 * (an ensemble awaits its plays in order), which let calls go on to an endpoint already known
 * to refuse them.
 */
export class RunStop {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private first: { error: unknown; promptId: string | undefined } | undefined;

  /** Stops the run for `error`, met by the play of `promptId` if a play met it; the first error stands. */
  halt(error: unknown, promptId?: string): void {
    this.first ??= { error, promptId };
    this.controller.abort(error);
  }

  /** The error that stopped the run, if one did. */
  get fatal(): { error: unknown } | undefined {
    return this.first;
  }

  /** Whether `error` stopped the run and this prompt's own play met it: that prompt failed, the others were cut short. */
  metBy(error: unknown, promptId: string): boolean {
    return this.first !== undefined && this.first.error === error && this.first.promptId === promptId;
  }
}
