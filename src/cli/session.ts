import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createAgents } from '../core/agents';
import { loadConfigFile, resolveConfigSearch, ValidationError, type Problem, type ToaConfig } from '../core/config';
import { createPooledFetch } from '../core/http/pooled-fetch';
import { createReward } from '../core/rewards';
import type { RewardModel } from '../core/rewards/types';
import type { ChatAgent, RetryNotice } from '../core/agents';

/** What `run` and `compare` share: a validated config, its agents and reward model, keys from env. */
export interface CliSession {
  config: ToaConfig;
  configFile: string;
  agents: ChatAgent[];
  reward: RewardModel;
  notes: string[];
}

export async function openSession(configFile: string, overrides: Partial<ToaConfig['search']>, onRetry: (n: RetryNotice) => void): Promise<CliSession> {
  const loaded = await loadConfigFile(configFile);
  const config: ToaConfig = { ...loaded, search: { ...loaded.search, ...definedOnly(overrides) } };
  const missing = missingKeys(config, configFile);
  if (missing.length) throw new ValidationError(missing);
  const env = (name: string): string | undefined => process.env[name];
  const fetch = createPooledFetch();
  const agents = createAgents(config.agents, { apiKeyFor: (_name, agent) => (agent.apiKeyEnv ? env(agent.apiKeyEnv) : undefined), fetch, onRetry });
  const reward = createReward(config.reward, { apiKey: env, task: config.task.kind, templates: config.task.templates, fetch, onRetry, cwd: dirname(resolve(configFile)) });
  return { config, configFile, agents, reward, notes: resolveConfigSearch(config).notes };
}

/** Every agent or reward that names a key variable the environment lacks, all at once. */
function missingKeys(config: ToaConfig, file: string): Problem[] {
  const problems: Problem[] = [];
  config.agents.forEach((agent, i) => {
    if (agent.apiKeyEnv && !process.env[agent.apiKeyEnv]) {
      problems.push({ file, path: `agents[${i}].apiKeyEnv`, message: `environment variable ${agent.apiKeyEnv} is not set` });
    }
  });
  const rewardKey = 'apiKeyEnv' in config.reward ? config.reward.apiKeyEnv : undefined;
  if (rewardKey && !process.env[rewardKey]) problems.push({ file, path: 'reward.apiKeyEnv', message: `environment variable ${rewardKey} is not set` });
  return problems;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Output paths: relative ones resolve against --out-dir if given, else the config file's folder. */
export function outputPath(session: CliSession, path: string, outDir?: string): string {
  if (isAbsolute(path)) return path;
  return outDir ? join(resolve(outDir), path) : join(dirname(resolve(session.configFile)), path);
}
