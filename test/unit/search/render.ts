import { mean } from '../../../src/core/search/tree';
import type { SearchTree, TreeNode } from '../../../src/shared/tree';

/** A compact, diff-friendly rendering of a tree for golden files: one line per node. */
export interface RenderedTree {
  strategy: string;
  budget: number;
  plays: number;
  nodes: string[];
}

export function renderTree(tree: SearchTree): RenderedTree {
  return { strategy: tree.strategy, budget: tree.budget, plays: tree.plays, nodes: tree.nodes.map(renderNode) };
}

function renderNode(node: TreeNode): string {
  const parts = [
    `#${node.id}`,
    node.kind,
    `agent=${node.agent ?? '-'}`,
    `mode=${node.mode ?? '-'}`,
    `L${node.layer}`,
    `parent=${node.parent ?? '-'}`,
    `visits=${node.visits}`,
    `mean=${node.values.length ? mean(node.values).toFixed(6) : '-'}`,
  ];
  if (node.kind === 'response') parts.push(`reward=${node.reward?.toFixed(6)}`, `play=${node.play}`, `sources=${node.sources?.join(',') ?? ''}`);
  return parts.join(' ');
}
