/** Per-agent and per-run statistics, shown in the panel and the CLI's end-of-run table. */

export interface AgentStats {
  name: string;
  calls: number;
  failures: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  medianLatencyMs: number;
  meanReward: number;
  /** Prompts whose best answer this agent wrote. */
  wins: number;
  /** wins / prompts done. */
  winShare: number;
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
}
