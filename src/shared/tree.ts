/**
 * The search tree as plain serializable data. The same shape feeds the panel, the trace JSONL
 * rows and the golden tests, so it holds numbers, strings and arrays only (no Maps, no classes).
 * Node ids are indexes into `SearchTree.nodes`.
 */

export type NodeKind = 'root' | 'agent' | 'response';

/** What an agent node's call starts from. */
export type AgentMode = 'scratch' | 'refine' | 'aggregate';

export type StrategyName = 'toa' | 'best-of-n' | 'prs' | 'ensemble' | 'sequential' | 'moa';

export const STRATEGIES: readonly StrategyName[] = ['toa', 'best-of-n', 'prs', 'ensemble', 'sequential', 'moa'];

/** How the panel and the palette name each strategy. */
export const STRATEGY_TITLES: Readonly<Record<StrategyName, string>> = {
  toa: 'TOA (tree search)',
  'best-of-n': 'Best-of-N',
  prs: 'PRS',
  ensemble: 'Parallel ensemble',
  sequential: 'Sequential refinement',
  moa: 'Mixture-of-Agents',
};

/** Cost of one play: the model call and the reward call that scored it. */
export interface CallStats {
  promptTokens: number;
  completionTokens: number;
  /** Wall time of the model call, retries included. */
  latencyMs: number;
  costUsd: number;
  rewardLatencyMs: number;
  /** Attempts the model call took (1 = no retry). */
  attempts: number;
}

export interface TreeNode {
  id: number;
  kind: NodeKind;
  parent: number | null;
  /** Depth: root 0, agent nodes odd, response nodes even. */
  layer: number;
  children: number[];
  /** Starts at 1, as in the reference implementation. */
  visits: number;
  /** Values v = sigmoid(r / tau) backed up through this node (a response's own value is not here). */
  values: number[];
  /** Agent index into `SearchTree.agents` (agent and response nodes). */
  agent?: number;
  /** Agent nodes: from scratch, refining its parent response, or aggregating `sources`. */
  mode?: AgentMode;
  /** Response nodes: the text the agent wrote. */
  text?: string;
  /** Response nodes: raw reward from the reward model, on the original prompt. */
  reward?: number;
  /** Response nodes: sigmoid(reward / tau). */
  own?: number;
  /** Response nodes: the 1-based play that produced it. */
  play?: number;
  /** Response nodes: ids of the responses the call saw (refine: one; aggregate: several). */
  sources?: number[];
  /** Response nodes: usage, latency and cost of the play. */
  call?: CallStats;
}

export interface SearchTree {
  promptId: string;
  strategy: StrategyName;
  /** Agent names, indexed by `TreeNode.agent`. */
  agents: string[];
  budget: number;
  /** Plays done so far. */
  plays: number;
  nodes: TreeNode[];
}

/** A scored response, as kept for SFT and preference data. */
export interface Candidate {
  nodeId: number;
  agent: string;
  text: string;
  reward: number;
  layer: number;
  /** Response id this one refined, if any. */
  parentResponse: number | null;
  /** Response ids the call saw: the one it refined, or every answer a MoA aggregate combined. */
  sources: number[];
  play: number;
}
