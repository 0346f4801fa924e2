import { createAgents, type AgentsDeps } from './agents/agent';
import { CallError, type ChatAgent, type RetryNotice } from './agents/types';
import type { ToaConfig } from './config/schema';
import { createReward, type RewardDeps } from './rewards/create';
import { RewardError, type RewardModel } from './rewards/types';
import { redactKeys } from './util/redact';

/** What a run calls: its agents, in config order, and its reward model. */
export interface RunModels {
  agents: ChatAgent[];
  reward: RewardModel;
}

export interface ModelsDeps extends AgentsDeps, Pick<RewardDeps, 'cwd'> {
  /** The reward endpoint's key, by its `apiKeyEnv` (see RewardDeps.apiKey). */
  rewardKey(apiKeyEnv: string | undefined): string | undefined;
}

/**
 * A run's agents and reward model, built with the keys the shell found (the CLI: environment
 * variables; the extension: SecretStorage), and kept from repeating any of those keys. A model
 * or a proxy may echo a key, its own or another endpoint's, in an answer or an error message;
 * answers become SFT rows, traces and the panel's tree, and errors and retry notices the CLI's
 * lines and the extension's log. So every answer text, failure and retry reason that leaves a
 * model has each key replaced, here, before any of them.
 */
export function createModels(config: ToaConfig, deps: ModelsDeps): RunModels {
  // The keys handed to the clients, as they are handed out (the clients take them as they are built).
  const keys: string[] = [];
  const handedOut = (key: string | undefined): string | undefined => {
    if (key) keys.push(key);
    return key;
  };
  const redact = (text: string, cutAtEnd?: boolean): string => redactKeys(text, keys, cutAtEnd);
  const onRetry = (notice: RetryNotice): void => deps.onRetry?.({ ...notice, reason: redact(notice.reason) });
  const agents = createAgents(config.agents, { ...deps, apiKeyFor: (name, agent) => handedOut(deps.apiKeyFor(name, agent)), onRetry });
  const reward = createReward(config.reward, {
    apiKey: (apiKeyEnv) => handedOut(deps.rewardKey(apiKeyEnv)),
    task: config.task.kind,
    templates: config.task.templates,
    clock: deps.clock,
    fetch: deps.fetch,
    onRetry,
    cwd: deps.cwd,
  });
  // Every key is handed out as the clients are built, above: with none (local servers, the
  // simulator) there is nothing to take out, and the calls go unwrapped.
  if (keys.length === 0) return { agents, reward };
  return { agents: agents.map((agent) => redactedAgent(agent, redact)), reward: redactedReward(reward, redact) };
}

function redactedAgent(agent: ChatAgent, redact: (text: string, cutAtEnd?: boolean) => string): ChatAgent {
  return {
    name: agent.name,
    complete: async (messages, signal) => {
      try {
        const completion = await agent.complete(messages, signal);
        // An answer stopped at max_tokens may end in the start of a key.
        return { ...completion, text: redact(completion.text, completion.cutOff) };
      } catch (error) {
        throw error instanceof CallError ? error.withMessage(redact(error.message)) : error;
      }
    },
  };
}

function redactedReward(reward: RewardModel, redact: (text: string) => string): RewardModel {
  return {
    name: reward.name,
    score: async (input, signal) => {
      try {
        return await reward.score(input, signal);
      } catch (error) {
        throw error instanceof RewardError ? error.withMessage(redact(error.message)) : error;
      }
    },
  };
}
