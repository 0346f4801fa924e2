import type { RewardConfig, ToaConfig } from '../config/schema';
import type { DownEndpoint } from './endpoint-down';
import type { Endpoint } from './request-refused';

/**
 * An endpoint of the config as its faults name it: who it is, the field that sets it and its
 * URL (EndpointDownError), and its key and the fields that shape its requests (Rejections).
 * The run's stops and the endpoint check say the same of it.
 */
export interface ConfigEndpoint extends Endpoint, DownEndpoint {}

/** An agent, named by its index in the config, as a config problem is. */
export function agentEndpoint(config: ToaConfig, agent: number): ConfigEndpoint {
  const settings = config.agents[agent];
  return {
    id: `agent ${agent}`,
    what: `agent "${settings?.name ?? agent}"`,
    field: `agents[${agent}].baseURL`,
    url: settings?.baseURL,
    keyField: `agents[${agent}].apiKeyEnv`,
    keyEnv: settings?.apiKeyEnv,
    request: `agents[${agent}].baseURL and agents[${agent}].model, and the server's chat API`,
  };
}

/** The reward model's endpoint (or program), named by the field that sets it. */
export function rewardEndpoint(reward: RewardConfig): ConfigEndpoint {
  const key = { id: 'reward', keyField: 'reward.apiKeyEnv', keyEnv: 'apiKeyEnv' in reward ? reward.apiKeyEnv : undefined, request: rewardRequest(reward) };
  switch (reward.type) {
    case 'command':
      return { ...key, what: 'the reward command', field: 'reward.command', read: 'reward.command: does it print the score as a decimal number on stdout?' };
    case 'http':
      return { ...key, what: 'the reward endpoint (http)', field: 'reward.url', url: reward.url, read: 'reward.scorePath against a reply of reward.url' };
    case 'vllm':
      return { ...key, what: 'the reward endpoint (vllm)', field: 'reward.baseURL', url: reward.baseURL, read: 'reward.endpoint, reward.model and reward.classIndex against a reply of the reward model' };
    case 'judge':
      return { ...key, what: 'the reward endpoint (judge)', field: 'reward.baseURL', url: reward.baseURL, read: "reward.template (does it ask for the score as a number?), reward.max_tokens and the judge's replies in the trace output" };
    case 'reference':
      return { ...key, what: 'the reward check (reference)' };
  }
}

/** The fields that shape the reward's requests, by the kind of server each type calls. */
function rewardRequest(reward: RewardConfig): string {
  if (reward.type === 'vllm') return "reward.type and reward.endpoint (vllm: /classify or /pooling), and the server's API";
  if (reward.type === 'http') return "reward.url and reward.bodyTemplate, and the server's API";
  if (reward.type === 'judge') return "reward.baseURL and reward.model, and the server's chat API";
  // A command or a reference check makes no HTTP request, so it meets no status to count.
  return 'reward.type';
}
