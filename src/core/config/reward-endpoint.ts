import type { ToaConfig } from './schema';

/** The URL the reward model is called at; undefined for local ones (reference checks, a command). */
export function rewardEndpoint(reward: ToaConfig['reward']): string | undefined {
  if (reward.type === 'vllm' || reward.type === 'judge') return reward.baseURL;
  if (reward.type === 'http') return reward.url;
  return undefined;
}
