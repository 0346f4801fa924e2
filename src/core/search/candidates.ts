import { bestOf } from '../../shared/best-answer';
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

/**
 * The answer a search reports as its best (the trace's `best`, the prompt-done event's, the
 * compared mean best reward): the best response that is not blank, as SFT takes it. A blank
 * answer (a reasoning model that spent its tokens before answering) is never training data, so
 * naming it best would show one answer and write another. Only when every response is blank is
 * the best of those named: the search finished and its trace still says what it found (and no
 * SFT row is written). Undefined for a tree without responses (no play finished). The rule is
 * shared with the panel (see shared/best-answer).
 */
export function bestAnswer(tree: SearchTree): Candidate | undefined {
  return bestOf(candidates(tree));
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
