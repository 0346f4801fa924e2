import { findPrompt, isUnsent, promptPosition } from '../src/shared/panel-state';
import type { PanelSnapshot, PromptEntry } from '../src/shared/protocol';
import { heldTree } from '../src/shared/held-trees';

/**
 * The prompts the Prompt tab falls back on when the user picked none: the last one being
 * searched, else the last one with a tree. Scanning the queue from its end for them on every
 * render cost a pass over every waiting prompt (a run of 50,000 prompts searches the first ones
 * while the rest wait behind them). Kept instead as messages touch prompts: the prompts being
 * searched (a handful, the run's concurrency) and the highest index holding a tree. Entries
 * are checked when read, so one gone stale (a search that ended, a tree dropped) costs at most
 * one scan, never a wrong answer.
 */
export class FollowedPrompt {
  /** The list the rest is about: a new run or a snapshot replaces it, and all is found again. */
  private prompts: PromptEntry[] | null = null;
  private readonly searching = new Set<string>();
  /** The highest index of a prompt with a tree (held, or on its way from the host); -1: none. */
  private lastTree = -1;

  /**
   * A message changed these prompts (their status, their tree). Only a snapshot brings trees
   * left out (unsent): the list it replaces is scanned whole, unsent ones included.
   */
  touched(snapshot: PanelSnapshot, promptIds: Iterable<string>): void {
    if (this.rebuilt(snapshot)) return;
    for (const id of promptIds) {
      const entry = findPrompt(snapshot, id);
      if (entry?.status === 'searching') this.searching.add(id);
      if (entry && heldTree(snapshot.trees, id)) this.lastTree = Math.max(this.lastTree, promptPosition(snapshot, id)!);
    }
  }

  /** The last prompt in the queue whose search is running. */
  lastSearching(snapshot: PanelSnapshot): PromptEntry | undefined {
    this.rebuilt(snapshot);
    let last: PromptEntry | undefined;
    let lastIndex = -1;
    for (const id of this.searching) {
      const entry = findPrompt(snapshot, id);
      const index = entry?.status === 'searching' ? promptPosition(snapshot, id)! : undefined;
      if (index === undefined) this.searching.delete(id);
      else if (index > lastIndex) [last, lastIndex] = [entry, index];
    }
    return last;
  }

  /** The last prompt in the queue with a tree to show, held or on its way. */
  lastWithTree(snapshot: PanelSnapshot): PromptEntry | undefined {
    this.rebuilt(snapshot);
    // None yet: a prompt that gets one is touched by the message that brings it.
    if (this.lastTree < 0) return undefined;
    const entry = snapshot.prompts[this.lastTree];
    if (entry && (heldTree(snapshot.trees, entry.id) || isUnsent(snapshot, entry.id))) return entry;
    // Its tree was dropped (the oldest finished trees go): look again, once.
    this.scanTrees(snapshot);
    return snapshot.prompts[this.lastTree];
  }

  /** Starts over when the prompts were replaced: one scan per snapshot or run, which brings them all anyway. */
  private rebuilt(snapshot: PanelSnapshot): boolean {
    if (this.prompts === snapshot.prompts) return false;
    this.prompts = snapshot.prompts;
    this.searching.clear();
    for (const p of snapshot.prompts) if (p.status === 'searching') this.searching.add(p.id);
    this.scanTrees(snapshot);
    return true;
  }

  private scanTrees(snapshot: PanelSnapshot): void {
    const unsent = new Set(snapshot.unsentTrees);
    this.lastTree = snapshot.prompts.findLastIndex((p) => heldTree(snapshot.trees, p.id) !== undefined || unsent.has(p.id));
  }
}
