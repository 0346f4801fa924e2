import type { RetryNotice } from '../agents/types';
import type { RewardConfig, TaskConfig, TaskKind } from '../config/schema';
import { systemClock, type Clock } from '../util/clock';
import { hashString, seededRandom, type Random } from '../util/random';
import { commandReward } from './command';
import { httpReward } from './http';
import { judgeReward } from './judge';
import type { HttpContext } from './post-json';
import { referenceReward } from './reference';
import type { RewardModel } from './types';
import { vllmReward } from './vllm';


/** Retries for HTTP reward calls, as the agents' default. */
const REWARD_MAX_RETRIES = 5;

export interface RewardDeps {
  /**
   * The provider's key, by its `apiKeyEnv` (undefined when it names none: the CLI then sends no
   * key, the extension looks one up by endpoint origin). Keys are never logged.
   */
  apiKey?(apiKeyEnv: string | undefined): string | undefined;
  task: TaskKind;
  /** Overrides from `config.task.templates` (the judge's rubric). */
  templates?: TaskConfig['templates'];
  clock?: Clock;
  fetch?: typeof fetch;
  /** Backoff jitter; defaults to a source seeded from the provider type. */
  random?: Random;
  onRetry?(notice: RetryNotice): void;
  /**
   * The folder a `command` reward runs in: the config file's, so `["python3", "score.py"]` finds
   * its script wherever the run was started from (output paths resolve against it too).
   */
  cwd?: string;
}

/** The reward model a config describes; its texts (score path, rubric) were checked by parseConfig. */
export function createReward(config: RewardConfig, deps: RewardDeps): RewardModel {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? seededRandom(hashString(`reward:${config.type}`));
  const keyFor = (apiKeyEnv: string | undefined): string | undefined => deps.apiKey?.(apiKeyEnv);
  const http = (provider: string, timeoutMs: number, apiKeyEnv: string | undefined): HttpContext => ({
    provider,
    apiKey: keyFor(apiKeyEnv),
    fetch: deps.fetch ?? globalThis.fetch,
    clock,
    random,
    timeoutMs,
    maxRetries: REWARD_MAX_RETRIES,
    onRetry: deps.onRetry,
  });
  switch (config.type) {
    case 'vllm':
      return vllmReward(config, http('vllm', config.timeoutMs, config.apiKeyEnv));
    case 'http':
      return httpReward(config, http('http', config.timeoutMs, config.apiKeyEnv));
    case 'judge':
      return judgeReward(config, { task: deps.task, templates: deps.templates, apiKey: keyFor(config.apiKeyEnv), clock, random, fetch: deps.fetch, onRetry: deps.onRetry });
    case 'reference':
      return referenceReward(config);
    case 'command':
      return commandReward(config, deps.cwd);
  }
}
