import type { SearchTree, StrategyName, TreeNode } from '../../shared/tree';

/**
 * Helpers over the plain `SearchTree` data. The tree stays numbers, strings and arrays so the
 * panel, the trace rows and the golden tests can hold it as JSON; these functions are the only
 * place that knows how ids, layers and back-up work.
 */

export const ROOT = 0;

/** What a caller decides about a new node; the tree fills in id, parent, layer and children. */
export type NodeInit = Omit<TreeNode, 'id' | 'parent' | 'layer' | 'children' | 'visits' | 'values'> & {
  /** Defaults to 1, as every node starts in the reference implementation. */
  visits?: number;
  values?: readonly number[];
};

export function createTree(promptId: string, strategy: StrategyName, agents: readonly string[], budget: number): SearchTree {
  const root: TreeNode = { id: ROOT, kind: 'root', parent: null, layer: 0, children: [], visits: 1, values: [] };
  return { promptId, strategy, agents: [...agents], budget, plays: 0, nodes: [root] };
}

export function getNode(tree: SearchTree, id: number): TreeNode {
  const node = tree.nodes[id];
  if (!node) throw new Error(`search tree of prompt ${tree.promptId}: no node ${id}`);
  return node;
}

/** Appends a node under `parentId`; its id is its index, so ids follow creation order. */
export function addNode(tree: SearchTree, parentId: number, init: NodeInit): TreeNode {
  const parent = getNode(tree, parentId);
  // Copied key by key: a rest pattern plus a spread costs several times more, and every TOA
  // play adds up to 11 nodes. The keys come out in the same order: id, init's, then the rest.
  const fields: Record<string, unknown> = { id: tree.nodes.length };
  for (const key in init) if (key !== 'visits' && key !== 'values') fields[key] = init[key as keyof NodeInit];
  const node = fields as unknown as TreeNode;
  node.parent = parentId;
  node.layer = parent.layer + 1;
  node.children = [];
  node.visits = init.visits ?? 1;
  node.values = init.values ? [...init.values] : [];
  tree.nodes.push(node);
  parent.children.push(node.id);
  return node;
}

/** Mean of backed-up values; 0 for none (the reference's display convention). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The value every tree statistic uses: v = sigmoid(r / tau). */
export function sigmoidValue(reward: number, tau: number): number {
  return 1 / (1 + Math.exp(-reward / tau));
}

/** Ids from `id` up to the root, `id` first. */
export function pathToRoot(tree: SearchTree, id: number): number[] {
  const path: number[] = [];
  for (let at: number | null = id; at !== null; at = getNode(tree, at).parent) path.push(at);
  return path;
}

/** Back-up: every node from `fromId` to the root gets visits += 1 and `value` appended. Returns the path. */
export function backUp(tree: SearchTree, fromId: number, value: number): number[] {
  const path = pathToRoot(tree, fromId);
  for (const id of path) {
    const node = getNode(tree, id);
    node.visits += 1;
    node.values.push(value);
  }
  return path;
}
