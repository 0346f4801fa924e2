/**
 * The ids of a snapshot's trees, oldest first: by the index of their prompt in the run's list
 * (prompts start, and grow their trees, in that order). A run adds its trees in that order, so
 * an id is appended in O(1); one added out of order (a tree the webview asked for again, see
 * receiveTree) is put in its place by binary search. Dropping the oldest costs O(1) per tree
 * dropped, plus the live trees it passes over (at most one per search in flight): work per event
 * does not grow with the run's prompts, which a sort per finished prompt did (minutes for 20,000).
 */
export class TreeOrder {
  /** Ids and their prompt's index, oldest first from `head`; the slots before it are spent. */
  private ids: string[] = [];
  private ranks: number[] = [];
  private head = 0;

  get size(): number {
    return this.ids.length - this.head;
  }

  /** Adds an id not yet held; `rank`: its prompt's index in the run's list. */
  add(id: string, rank: number): void {
    const end = this.ids.length;
    if (this.head === end || this.ranks[end - 1]! <= rank) {
      this.ids.push(id);
      this.ranks.push(rank);
      return;
    }
    let lo = this.head;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranks[mid]! <= rank) lo = mid + 1;
      else hi = mid;
    }
    this.ids.splice(lo, 0, id);
    this.ranks.splice(lo, 0, rank);
  }

  /** The ids, oldest first. */
  list(): string[] {
    return this.ids.slice(this.head);
  }

  /**
   * Removes up to `count` of the oldest ids that `kept` does not hold on to, and returns them.
   * Each is taken out by moving the kept ones before it up one slot, so the list stays in order
   * without shifting its tail.
   */
  dropOldest(count: number, kept: (id: string) => boolean): string[] {
    const dropped: string[] = [];
    for (let i = this.head; dropped.length < count && i < this.ids.length; i++) {
      const id = this.ids[i]!;
      if (kept(id)) continue;
      dropped.push(id);
      for (let j = i; j > this.head; j--) {
        this.ids[j] = this.ids[j - 1]!;
        this.ranks[j] = this.ranks[j - 1]!;
      }
      this.head += 1;
    }
    // Spent slots are let go once they are half the list: O(1) amortized per id dropped.
    if (this.head > 64 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.ranks = this.ranks.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }
}
