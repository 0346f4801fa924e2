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
  /** Of its answered calls (0 while none was: see answeredAny). */
  medianLatencyMs: number;
  /** Mean raw reward of its scored answers; null while none was scored (0 would read as a score). */
  meanReward: number | null;
  /** Prompts whose best answer this agent reached; a prompt tied between k agents counts 1/k to each. */
  wins: number;
  /** wins / prompts done: the agents' shares add up to 1. */
  winShare: number;
}

/** Whether any of the calls was answered: failed calls have no latency (or reward) to show. */
export function answeredAny(stats: Pick<AgentStats, 'calls' | 'failures'>): boolean {
  return stats.calls > stats.failures;
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
