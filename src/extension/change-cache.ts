/** Stops a watch. */
export interface Unwatch {
  dispose(): void;
}

/**
 * Values read once and kept until a watcher says their source changed. A key's watcher starts
 * before its first read, so a change during a read is not missed: the next get reads again.
 * A failed read is kept as it is (a file that does not parse fails the same way until it changes).
 */
export class ChangeCache<T> {
  private readonly entries = new Map<string, { value?: Promise<T>; watch: Unwatch }>();

  constructor(
    private readonly read: (key: string) => Promise<T>,
    /** Calls `changed` whenever the source of `key` may have changed. */
    private readonly watch: (key: string, changed: () => void) => Unwatch,
  ) {}

  get(key: string): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      const watch = this.watch(key, () => {
        const changed = this.entries.get(key);
        if (changed) changed.value = undefined;
      });
      entry = { watch };
      this.entries.set(key, entry);
    }
    entry.value ??= this.read(key);
    return entry.value;
  }

  /** Forgets every value and stops every watch (the keys themselves may have changed). */
  clear(): void {
    this.entries.forEach((entry) => entry.watch.dispose());
    this.entries.clear();
  }
}
