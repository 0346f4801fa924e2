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
  /** Prompts whose best answer this agent reached; a prompt tied between k agents counts 1/k to each. */
  wins: number;
  /** wins / prompts done: the agents' shares add up to 1. */
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

/** Wins as a count: whole, or to one decimal where ties were shared (2.5). */
export function winsText(wins: number): string {
  const rounded = Math.round(wins * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}
