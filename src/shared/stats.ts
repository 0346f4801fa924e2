/** Per-agent and per-run statistics, shown in the panel and the CLI's end-of-run table. */

export interface AgentStats {
  name: string;
  calls: number;
  failures: number;
  retries: number;
  /**
   * Replies that stopped at the token limit (sent as max_tokens or max_completion_tokens, see
   * request-body.ts): many of them mean the limit is too small for this agent.
   */
  cutOff: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  medianLatencyMs: number;
  meanReward: number;
  /** Prompts whose best answer this agent alone reached (a tie with another agent's is no one's win). */
  wins: number;
  /** wins / prompts done: the agents' shares add up to less than 1 when prompts were tied. */
  winShare: number;
}

/** The reward model's calls in a run: one per play, plus its retries. */
export interface RewardStats {
  /** The reward model, e.g. `vllm:Skywork-Reward`. */
  name: string;
  calls: number;
  failures: number;
  retries: number;
  medianLatencyMs: number;
}

export interface RunTotals {
  prompts: number;
  done: number;
  failed: number;
  skipped: number;
  plays: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  elapsedMs: number;
  /** Absent in snapshots saved before reward calls were counted. */
  reward?: RewardStats;
}

/**
 * Prompts done that are no agent's win: answers of several agents reached their best reward (see
 * promptWinner in core/run). The panel and `toa run` say how many, so that win shares adding up
 * to less than 100% read as ties, not as lost prompts.
 */
export function tiedPrompts(agents: readonly AgentStats[], done: number): number {
  return Math.max(0, done - agents.reduce((sum, a) => sum + a.wins, 0));
}
