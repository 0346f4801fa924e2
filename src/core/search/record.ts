import type { SearchTree, TreeNode } from '../../shared/tree';
import { addNode, backUp, sigmoidValue, type NodeInit } from './tree';
import type { PlayOutcome, SearchEnv } from './types';

/** Hooks a strategy reports through (the parts of `SearchEnv` that watch the tree grow). */
export type TreeListener = Pick<SearchEnv, 'onNode' | 'onPlay'>;

/**
 * Reports a node as it is now: a copy of what later back-ups change (visits, values, children),
 * so they do not rewrite what a listener kept. Text, sources and call stats never change once
 * set; sharing them spares a deep copy (structuredClone) per node on every play.
 */
export function emitNode(listener: TreeListener, node: TreeNode): void {
  listener.onNode?.({ ...node, children: [...node.children], values: [...node.values] });
}

export function attachNode(tree: SearchTree, listener: TreeListener, parentId: number, init: NodeInit): TreeNode {
  const node = addNode(tree, parentId, init);
  emitNode(listener, node);
  return node;
}

/**
 * Evaluate and back up one finished play: attach the response under the agent node that made
 * it, with own = sigmoid(reward / tau), then back the value up from that agent node to the
 * root. The new response itself is not updated (its `own` is not in its `values`).
 */
export function recordPlay(
  tree: SearchTree,
  env: TreeListener & Pick<SearchEnv, 'params'>,
  agentNode: TreeNode,
  outcome: PlayOutcome,
  sources: number[],
): TreeNode {
  const play = tree.plays + 1;
  // A NaN or infinite reward would silently poison every mean above it.
  if (!Number.isFinite(outcome.reward)) throw new Error(`play ${play}: the reward is not a finite number (${outcome.reward})`);
  const value = sigmoidValue(outcome.reward, env.params.tau);
  const response = attachNode(tree, env, agentNode.id, {
    kind: 'response',
    agent: agentNode.agent,
    text: outcome.text,
    reward: outcome.reward,
    own: value,
    play,
    sources,
    call: outcome.call,
  });
  tree.plays = play;
  const path = backUp(tree, agentNode.id, value);
  env.onPlay?.({ play, nodeId: response.id, reward: outcome.reward, value, path });
  return response;
}
