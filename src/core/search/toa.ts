import type { SearchTree, TreeNode } from '../../shared/tree';
import { unlessAborted } from './pool';
import { attachNode, emitNode, recordPlay, type TreeListener } from './record';
import { bestChild, isFullyExpanded } from './select';
import { createTree, getNode, ROOT } from './tree';
import type { PlayRequest, SearchEnv, Strategy } from './types';

/**
 * TOA, as toa-algorithm.md restates the reference (oceanypt/TOA, code/ensemble_methods.py):
 * per play, select -> expand -> evaluate -> back up, for exactly `params.budget` plays.
 */
export const toa: Strategy = async (env, signal) => {
  signal.throwIfAborted();
  if (env.agents.length === 0) throw new Error('toa needs at least one agent');
  const tree = createTree(env.promptId, 'toa', env.agents, env.params.budget);
  emitNode(env, getNode(tree, ROOT));
  env.agents.forEach((_, agent) => attachNode(tree, env, ROOT, { kind: 'agent', agent, mode: 'scratch' }));
  for (let t = 1; t <= env.params.budget; t++) {
    const leaf = selectLeaf(tree, env, t);
    const { request, sources } = expansionRequest(tree, leaf);
    const outcome = await unlessAborted(env.play(request, signal), signal);
    // Evaluate (v = sigmoid(r / tau)) and back up.
    recordPlay(tree, env, leaf, outcome, sources);
  }
  return tree;
};

/**
 * Select: walk down from the root by `bestChild` until an agent node that is not fully
 * expanded. A response met for the first time (visits == 1) first gets its 2K agent children.
 */
export function selectLeaf(tree: SearchTree, env: TreeListener & Pick<SearchEnv, 'params'>, t: number): TreeNode {
  let node = getNode(tree, ROOT);
  for (;;) {
    if (node.kind === 'response' && node.visits === 1) addSearchChildren(tree, env, node);
    // An agent node with no child to descend to is expanded: only reachable with width < K,
    // which the config clamps (toa-algorithm.md, edge case), but selection must not dead-end.
    if (node.kind === 'agent' && (node.children.length === 0 || !isFullyExpanded(tree, node, env.params.width))) return node;
    node = getNode(tree, bestChild(tree, node, t, env.params));
  }
}

/**
 * A response's 2K agent children, in the reference's order: first K "refine me with agent k"
 * (the reference creates them with the response), then K "from scratch with agent k" whose
 * visits and values are copied from the root's agent node k at this moment. Creating both
 * sets on first visit changes no decision (an agent node with no responses adds nothing to any
 * width count) and keeps never-visited responses leaves, so the tree stays small.
 */
function addSearchChildren(tree: SearchTree, listener: TreeListener, response: TreeNode): void {
  tree.agents.forEach((_, agent) => attachNode(tree, listener, response.id, { kind: 'agent', agent, mode: 'refine' }));
  const rootChildren = getNode(tree, ROOT).children;
  tree.agents.forEach((_, agent) => {
    const { visits, values } = getNode(tree, rootChildren[agent] ?? -1);
    attachNode(tree, listener, response.id, { kind: 'agent', agent, mode: 'scratch', visits, values });
  });
}

/** Expand: the call the selected agent node makes, and the response ids it will have seen. */
function expansionRequest(tree: SearchTree, leaf: TreeNode): { request: PlayRequest; sources: number[] } {
  const agent = leaf.agent ?? 0;
  if (leaf.mode !== 'refine') return { request: { agent, mode: 'scratch', sources: [] }, sources: [] };
  const parent = getNode(tree, leaf.parent ?? ROOT);
  return { request: { agent, mode: 'refine', sources: [parent.text ?? ''] }, sources: [parent.id] };
}
