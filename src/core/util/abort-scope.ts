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
  return new LinkedScope(parent);
}

/**
 * Listens to the parent as an EventListener object (handleEvent) rather than through closures:
 * every model and reward attempt makes a scope (see withDeadline), so it is kept to two objects.
 */
class LinkedScope implements AbortScope {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;

  constructor(private readonly parent: AbortSignal) {
    if (parent.aborted) this.handleEvent();
    else parent.addEventListener('abort', this, { once: true });
  }

  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  release(): void {
    this.parent.removeEventListener('abort', this);
  }

  /** The parent aborted. */
  handleEvent(): void {
    this.controller.abort(this.parent.reason);
  }
}
