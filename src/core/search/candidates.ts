import type { Candidate, SearchTree, TreeNode } from '../../shared/tree';
import { getNode } from './tree';

/**
 * Every response of a tree as a candidate for SFT and preference data, best raw reward first
 * (ties: earlier play first). Raw reward, not the value: tau only shapes the search.
 */
export function candidates(tree: SearchTree): Candidate[] {
  return tree.nodes
    .filter((node) => node.kind === 'response')
    .map((node) => toCandidate(tree, node))
    .sort((a, b) => b.reward - a.reward || a.play - b.play);
}

/** The best response, or undefined for a tree without any (no play finished). */
export function bestCandidate(tree: SearchTree): Candidate | undefined {
  return candidates(tree)[0];
}

function toCandidate(tree: SearchTree, node: TreeNode): Candidate {
  const agentNode = getNode(tree, node.parent ?? -1);
  // Only a refinement has a response it refined: its agent node hangs under that response.
  // (TOA's from-scratch agent nodes under a response and MoA's aggregates refine nothing.)
  const parentResponse = agentNode.mode === 'refine' ? agentNode.parent : null;
  return {
    nodeId: node.id,
    agent: tree.agents[node.agent ?? -1] ?? `agent ${node.agent}`,
    text: node.text ?? '',
    reward: node.reward ?? -Infinity,
    layer: node.layer,
    parentResponse,
    sources: [...(node.sources ?? [])],
    play: node.play ?? 0,
  };
}
