import type { SearchParams } from '../config/defaults';
import type { AgentMode, CallStats, SearchTree, TreeNode } from '../../shared/tree';
import type { Random } from '../util/random';

/** What to ask an agent: from scratch, refine one earlier response, or aggregate several. */
export interface PlayRequest {
  agent: number;
  mode: AgentMode;
  /** Response texts the call sees: none (scratch), one (refine), several (aggregate). */
  sources: string[];
}

/** A scored response. The reward is on the original prompt. */
export interface PlayOutcome {
  text: string;
  reward: number;
  call: CallStats;
}

/**
 * What a strategy needs from the world. Strategies never call endpoints themselves: `play`
 * builds the messages from templates, calls the agent, scores with the reward model, and
 * honours the run's concurrency limits. A rejected `play` (retries spent, or aborted) ends the
 * prompt.
 */
export interface SearchEnv {
  promptId: string;
  agents: string[];
  params: SearchParams;
  rng: Random;
  play(request: PlayRequest, signal: AbortSignal): Promise<PlayOutcome>;
  /** Called when a node joins the tree. */
  onNode?(node: TreeNode): void;
  /** Called after each play with the new response id and the ids whose stats changed. */
  onPlay?(info: { play: number; nodeId: number; reward: number; value: number; path: number[] }): void;
}

export type Strategy = (env: SearchEnv, signal: AbortSignal) => Promise<SearchTree>;
