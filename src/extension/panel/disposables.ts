/** Anything with a `dispose()`, structurally (so this file needs no `vscode` import). */
export interface DisposableLike {
  dispose(): unknown;
}

/**
 * Owns disposables and drains them in one place, newest first. Adding to a drained store
 * disposes the newcomer at once, so a late registration cannot leak.
 */
export class DisposableStore implements DisposableLike {
  private items: DisposableLike[] = [];
  private drained = false;

  add<T extends DisposableLike>(item: T): T {
    if (this.drained) item.dispose();
    else this.items.push(item);
    return item;
  }

  get isDisposed(): boolean {
    return this.drained;
  }

  dispose(): void {
    if (this.drained) return;
    this.drained = true;
    const items = this.items.reverse();
    this.items = [];
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'disposing the panel failed');
  }
}
