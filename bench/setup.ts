import { configSchema, createModels, type RunModels, type StrategyName, type ToaConfig } from '../src/core';
import { createPooledFetch } from '../src/core/http/pooled-fetch';
import { DEFAULT_SIM_AGENTS, SIM_REWARD_MODEL } from '../src/sim';

/** The HTTP client the CLI gives the SDK and the reward provider; the benchmarks measure the CLI's path. */
export const benchFetch = createPooledFetch();

/** How a benchmark's run differs from the defaults; everything else is the config's default. */
export interface RunShape {
  strategy: StrategyName;
  budget: number;
  seed: number;
  /** run.concurrency (default 32). */
  concurrency?: number;
  /** Per-agent `stream` (default true). */
  stream?: boolean;
  /** Per-agent `maxConcurrency` (default 8). */
  maxConcurrency?: number;
}

/**
 * A config for the five default sim agents and the sim's vLLM reward endpoint, parsed by the
 * product's own schema so every field not named in `shape` takes its real default (task
 * `instruction`: tau 0.1, alpha 0.01, width budget/3 clamped to K, topk 1).
 */
export function simConfig(simUrl: string, shape: RunShape): ToaConfig {
  return configSchema.parse({
    agents: DEFAULT_SIM_AGENTS.map((a) => ({
      name: a.model,
      baseURL: `${simUrl}/v1`,
      model: a.model,
      ...(shape.stream === undefined ? {} : { stream: shape.stream }),
      ...(shape.maxConcurrency === undefined ? {} : { maxConcurrency: shape.maxConcurrency }),
    })),
    reward: { type: 'vllm', baseURL: simUrl, model: SIM_REWARD_MODEL },
    search: { strategy: shape.strategy, budget: shape.budget, seed: shape.seed },
    task: { kind: 'instruction' },
    ...(shape.concurrency === undefined ? {} : { run: { concurrency: shape.concurrency } }),
  });
}

/** The agents and reward model a config describes, built as the CLI builds them (no keys), key redaction included. */
export function runParts(config: ToaConfig): RunModels {
  return createModels(config, { apiKeyFor: () => undefined, rewardKey: () => undefined, fetch: benchFetch });
}
