import type { AgentMode, NodeKind, SearchTree, TreeNode } from '../src/shared/tree';

/**
 * A tidy layered layout of a search tree, left to right: one column per layer, leaves on
 * consecutive rows, each parent centred on its first and last child, so subtrees never overlap.
 * O(nodes) and allocation-light, because it runs on every animation frame of a live search.
 *
 * Agent nodes that never produced a response ("untried") are hidden unless asked for, except
 * under the root: TOA adds 2K of them to every response it passes, and drawing them all would
 * bury the responses.
 */

export const GEOMETRY = {
  rowHeight: 26,
  margin: 16,
  gap: 26,
  rootWidth: 64,
  rootHeight: 22,
  responseWidth: 84,
  responseHeight: 20,
  agentRadius: 5,
} as const;

export interface NodeBox {
  id: number;
  kind: NodeKind;
  /** Left edge. */
  x: number;
  /** Vertical centre. */
  y: number;
  width: number;
}

interface EdgePaths {
  scratch: string;
  refine: string;
  aggregate: string;
  /** Root to the best response, drawn over the others. */
  best: string;
}

export interface TreeLayout {
  boxes: NodeBox[];
  byId: Map<number, NodeBox>;
  edges: EdgePaths;
  width: number;
  height: number;
  /** Untried agent nodes left out. */
  hidden: number;
}

export interface LayoutOptions {
  showUntried: boolean;
  /** Highlighted path, root first (see `pathTo`). */
  bestPath: readonly number[];
}

export function nodeWidth(kind: NodeKind): number {
  if (kind === 'root') return GEOMETRY.rootWidth;
  if (kind === 'response') return GEOMETRY.responseWidth;
  return GEOMETRY.agentRadius * 2;
}

/** A box's height, centred on its row; an agent node is a circle drawn about its centre, so 0. */
export function nodeHeight(kind: NodeKind): number {
  if (kind === 'root') return GEOMETRY.rootHeight;
  if (kind === 'response') return GEOMETRY.responseHeight;
  return 0;
}

function isShown(tree: SearchTree, node: TreeNode, showUntried: boolean): boolean {
  if (showUntried || node.kind !== 'agent' || node.children.length > 0) return true;
  return node.parent !== null && tree.nodes[node.parent]?.kind === 'root';
}

/** Left edge of each layer's column; columns are as wide as the widest kind they hold. */
function columnLefts(tree: SearchTree): number[] {
  const widths: number[] = [];
  for (const node of tree.nodes) {
    if (!node) continue;
    widths[node.layer] = Math.max(widths[node.layer] ?? 0, nodeWidth(node.kind));
  }
  const lefts: number[] = [];
  let x = GEOMETRY.margin;
  for (let layer = 0; layer < widths.length; layer++) {
    lefts.push(x);
    x += (widths[layer] ?? 0) + GEOMETRY.gap;
  }
  lefts.push(x);
  return lefts;
}

export function layoutTree(tree: SearchTree, options: LayoutOptions): TreeLayout {
  const root = tree.nodes[0];
  if (!root) return { boxes: [], byId: new Map<number, NodeBox>(), edges: { scratch: '', refine: '', aggregate: '', best: '' }, width: 0, height: 0, hidden: 0 };
  const placed = placeBoxes(tree, root, columnLefts(tree), options.showUntried);
  const width = placed.right + GEOMETRY.margin;
  const height = GEOMETRY.margin * 2 + GEOMETRY.rowHeight * placed.rows;
  return { boxes: placed.boxes, byId: placed.byId, edges: edgePaths(tree, placed.byId, options.bestPath), width, height, hidden: placed.hidden };
}

/** The boxes a walk placed, and what the layout's size and its hidden count are made from. */
interface PlacedBoxes {
  boxes: NodeBox[];
  byId: Map<number, NodeBox>;
  /** Leaves placed, one row each. */
  rows: number;
  /** The rightmost box edge. */
  right: number;
  hidden: number;
}

/** A node on the walk's stack: its next child to visit, and its first and last children placed. */
interface OpenNode {
  node: TreeNode;
  next: number;
  first?: NodeBox;
  last?: NodeBox;
  box: NodeBox;
}

/** Each shown node's box, placed by a depth-first walk: its column as it is entered, its row as it is left. */
function placeBoxes(tree: SearchTree, root: TreeNode, lefts: number[], showUntried: boolean): PlacedBoxes {
  const placed: PlacedBoxes = { boxes: [], byId: new Map<number, NodeBox>(), rows: 0, right: 0, hidden: 0 };
  // Iterative depth-first walk: sequential refinement makes chains as deep as the budget.
  const stack: OpenNode[] = [enterNode(placed, root, lefts)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const childId = top.node.children[top.next++];
    if (childId !== undefined) {
      const child = tree.nodes[childId];
      if (!child) continue;
      if (isShown(tree, child, showUntried)) stack.push(enterNode(placed, child, lefts));
      else placed.hidden += 1;
      continue;
    }
    stack.pop();
    leaveNode(placed, top, stack[stack.length - 1]);
  }
  return placed;
}

/** A node's box, in its layer's column; its row waits until its children are placed (see leaveNode). */
function enterNode(placed: PlacedBoxes, node: TreeNode, lefts: number[]): OpenNode {
  const box: NodeBox = { id: node.id, kind: node.kind, x: lefts[node.layer] ?? 0, y: 0, width: nodeWidth(node.kind) };
  placed.boxes.push(box);
  placed.byId.set(node.id, box);
  placed.right = Math.max(placed.right, box.x + box.width);
  return { node, next: 0, box };
}

/** A node whose children are placed: centred on its first and last, or, a leaf, on the next row. */
function leaveNode(placed: PlacedBoxes, done: OpenNode, parent: OpenNode | undefined): void {
  done.box.y = done.first && done.last ? (done.first.y + done.last.y) / 2 : GEOMETRY.margin + GEOMETRY.rowHeight * (placed.rows++ + 0.5);
  if (parent) {
    parent.first ??= done.box;
    parent.last = done.box;
  }
}

/** What an edge into `child` stands for: the mode of the agent call it leads to or from. */
function edgeMode(tree: SearchTree, child: TreeNode): AgentMode {
  if (child.kind === 'agent') return child.mode ?? 'scratch';
  const parent = child.parent === null ? undefined : tree.nodes[child.parent];
  return parent?.mode ?? 'scratch';
}

function curve(from: NodeBox, to: NodeBox): string {
  const x1 = from.x + from.width;
  const x2 = to.x;
  const mid = (x1 + x2) / 2;
  return `M${x1} ${from.y}C${mid} ${from.y} ${mid} ${to.y} ${x2} ${to.y}`;
}

/** All edges of one style in a single path: four DOM nodes however big the tree. */
function edgePaths(tree: SearchTree, byId: Map<number, NodeBox>, bestPath: readonly number[]): EdgePaths {
  const parts: Record<AgentMode, string[]> = { scratch: [], refine: [], aggregate: [] };
  for (const [id, box] of byId) {
    const node = tree.nodes[id]!;
    const parentBox = node.parent === null ? undefined : byId.get(node.parent);
    if (parentBox) parts[edgeMode(tree, node)].push(curve(parentBox, box));
  }
  const best: string[] = [];
  for (let i = 1; i < bestPath.length; i++) {
    const from = byId.get(bestPath[i - 1]!);
    const to = byId.get(bestPath[i]!);
    if (from && to) best.push(curve(from, to));
  }
  return { scratch: parts.scratch.join(''), refine: parts.refine.join(''), aggregate: parts.aggregate.join(''), best: best.join('') };
}
