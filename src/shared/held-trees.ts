import { ownValue } from './own-value';
import type { SearchTree } from './tree';

/**
 * The panel's trees by prompt id, read and written as own keys only. Prompt ids come from
 * datasets: a row with the id `constructor` or `toString` would otherwise find Object.prototype's
 * functions as its tree (and break the panel's state, and with it the run that feeds it), and
 * `__proto__` would set the object's prototype instead of holding a tree.
 */
export function heldTree(trees: Record<string, SearchTree>, promptId: string): SearchTree | undefined {
  return ownValue(trees, promptId);
}

export function holdTree(trees: Record<string, SearchTree>, promptId: string, tree: SearchTree): void {
  Object.defineProperty(trees, promptId, { value: tree, writable: true, enumerable: true, configurable: true });
}
