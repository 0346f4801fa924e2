import type { SearchParams } from '../config/defaults';
import type { SearchTree, TreeNode } from '../../shared/tree';
import { getNode, mean } from './tree';

/**
 * TOA's selection rules, as pure functions over the tree (toa-algorithm.md, "One play").
 * Kept apart from the loop in toa.ts so each rule can be read and tested on its own.
 */

/**
 * UCT with the GLOBAL play number t, not the parent's visit count: the reference does this on
 * purpose, because copied statistics make a subtree's own counts meaningless. A child never
 * backed up through (visits == 1, no values) scores +Infinity so every option is tried once.
 */
export function uct(node: TreeNode, t: number, alpha: number): number {
  if (node.visits === 1 && node.values.length === 0) return Infinity;
  return mean(node.values) + alpha * Math.sqrt((2 * Math.log(t)) / node.visits);
}

/** Response nodes at `layer` across the whole tree: TOA's width is global per layer. */
function responsesAtLayer(tree: SearchTree, layer: number): number {
  let count = 0;
  for (const node of tree.nodes) if (node.kind === 'response' && node.layer === layer) count++;
  return count;
}

/**
 * Root and response nodes are always fully expanded. An agent node is when its layer's
 * children are at least `width` tree-wide and, unless it hangs under the root, one of its own
 * responses beat its parent response (strictly). Until then it keeps being expanded.
 */
export function isFullyExpanded(tree: SearchTree, node: TreeNode, width: number): boolean {
  if (node.kind !== 'agent') return true;
  if (responsesAtLayer(tree, node.layer + 1) < width) return false;
  const parent = getNode(tree, node.parent ?? -1);
  if (parent.kind === 'root') return true;
  const bar = parent.own ?? -Infinity;
  return node.children.some((id) => (getNode(tree, id).own ?? -Infinity) > bar);
}

/**
 * The `k` children with the highest `own`, in their original order. The reference uses
 * numpy's argpartition, which leaves the pick among equal `own` values unspecified; here the
 * earlier child wins, consistent with ties going to the first child everywhere else.
 */
function topkByOwn(tree: SearchTree, ids: readonly number[], k: number): readonly number[] {
  // Every play ranks an agent node's responses; the default topk 1 and a k that keeps them all
  // need no sort (and no arrays built for it).
  if (k >= ids.length) return ids;
  if (k <= 1) return [highestOwn(tree, ids)];
  const own = (id: number): number => getNode(tree, id).own ?? -Infinity;
  const ranked = ids
    .map((id, index) => ({ id, index }))
    .sort((a, b) => own(b.id) - own(a.id) || a.index - b.index)
    .slice(0, Math.max(1, k));
  return ranked.sort((a, b) => a.index - b.index).map((r) => r.id);
}

/** The id with the highest `own`, the earlier on ties (as the sort in topkByOwn ranks them). */
function highestOwn(tree: SearchTree, ids: readonly number[]): number {
  let best = ids[0]!;
  let bestOwn = getNode(tree, best).own ?? -Infinity;
  for (let i = 1; i < ids.length; i++) {
    const own = getNode(tree, ids[i]!).own ?? -Infinity;
    if (own > bestOwn) {
      best = ids[i]!;
      bestOwn = own;
    }
  }
  return best;
}

/**
 * The child selection moves to. Over response children, only the top `topk` by `own` compete;
 * then the highest UCT wins, ties to the first child.
 */
export function bestChild(tree: SearchTree, parent: TreeNode, t: number, params: Pick<SearchParams, 'alpha' | 'topk'>): number {
  if (parent.children.length === 0) throw new Error(`search tree of prompt ${tree.promptId}: node ${parent.id} has no child to select`);
  // An agent node's children are its responses; root and response nodes have agent children.
  const contenders = parent.kind === 'agent' ? topkByOwn(tree, parent.children, params.topk) : parent.children;
  let best = contenders[0]!;
  let bestScore = uct(getNode(tree, best), t, params.alpha);
  for (let i = 1; i < contenders.length; i++) {
    const id = contenders[i]!;
    const score = uct(getNode(tree, id), t, params.alpha);
    if (score > bestScore) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}
