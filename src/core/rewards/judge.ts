import { createAgent, type AgentDeps } from '../agents/agent';
import { tokenLimit } from '../agents/request-body';
import { CallError } from '../agents/types';
import type { AgentConfig, RewardConfig, TaskConfig, TaskKind } from '../config/schema';
import { DEFAULT_TEMPLATES } from '../templates/defaults';
import { conversationText, fillTemplate } from '../templates/fill';
import { excerpt } from '../util/excerpt';
import { redact } from '../util/redact';
import { parseJudgeScore } from './judge-score';
import { RewardError, type RewardInput, type RewardModel } from './types';

export type JudgeRewardConfig = Extract<RewardConfig, { type: 'judge' }>;

/** The judge's own agent is built from these (key, clock, jitter, HTTP client, retry notices). */
export interface JudgeDeps extends AgentDeps {
  task: TaskKind;
  templates?: TaskConfig['templates'];
}

const JUDGE = 'judge';
/** The run's own concurrency bounds judge calls; this only guards against a runaway caller. */
const JUDGE_MAX_CONCURRENCY = 64;

/** The rubric: the reward's own, else the task's judge template (parseConfig checked both), else the task's default. */
function pickTemplate(config: JudgeRewardConfig, deps: JudgeDeps): string {
  return config.template ?? deps.templates?.judge ?? DEFAULT_TEMPLATES[deps.task].judge;
}

/**
 * An LLM as the reward model: the rubric (filled with the original prompt and the response)
 * goes to an OpenAI-compatible endpoint through a regular agent, so it gets the same retries,
 * limits and fault reports; the score is read from the reply and clamped to [min, max].
 */
export function judgeReward(config: JudgeRewardConfig, deps: JudgeDeps): RewardModel {
  const template = pickTemplate(config, deps);
  const agentConfig = judgeAgentConfig(config);
  const limit = tokenLimit(agentConfig);
  // Its retries are the reward's, said as `reward judge` as an HTTP reward's are, not as an agent's.
  const agent = createAgent(agentConfig, { ...deps, configPath: 'reward', onRetry: (notice) => deps.onRetry?.({ ...notice, reward: true }) });
  return {
    name: `judge:${config.model}`,
    async score(input, signal) {
      const reply = await agent.complete([{ role: 'user', content: rubric(template, config, input) }], signal).catch((error: unknown) => {
        throw rewardError(error);
      });
      // A reply cut off at the token limit never reached its verdict: a number in its critique
      // (a criterion's, "2/10 of the steps") would pass for the score. Another try at the same
      // limit would stop alike.
      if (reply.cutOff) {
        const shown = excerpt(redact(reply.text, deps.apiKey, true), 200);
        throw new RewardError(`reward judge: the judge's reply reached reward.${limit.field} (${limit.value}) before it gave its verdict; raise reward.${limit.field} (the reply: ${shown})`, JUDGE, { attempts: reply.attempts, unread: true });
      }
      const score = parseJudgeScore(reply.text, config.max);
      // Redacted before it is cut: a key the cut went through would show its start.
      if (score === undefined) throw new RewardError(`reward judge: no score found in the judge's reply ${excerpt(redact(reply.text, deps.apiKey), 200)}`, JUDGE, { attempts: reply.attempts, unread: true });
      return { reward: Math.min(config.max, Math.max(config.min, score)), attempts: reply.attempts };
    },
  };
}

/** The judge's agent: the reward's endpoint, model and sampling; the rest fixed (free, 5 retries, no streaming). */
function judgeAgentConfig(config: JudgeRewardConfig): AgentConfig {
  return {
    name: JUDGE,
    baseURL: config.baseURL,
    model: config.model,
    apiKeyEnv: config.apiKeyEnv,
    temperature: config.temperature,
    // None: under the default temperature 0 it changes nothing, and OpenAI's reasoning models
    // refuse the field outright. extraBody may send one.
    top_p: null,
    max_tokens: config.max_tokens,
    max_completion_tokens: config.max_completion_tokens,
    extraBody: config.extraBody,
    maxConcurrency: JUDGE_MAX_CONCURRENCY,
    price: { inputPerMillion: 0, outputPerMillion: 0 },
    timeoutMs: config.timeoutMs,
    maxRetries: 5,
    stream: false,
    thinkTags: true,
  };
}

/** The rubric filled for one response. */
function rubric(template: string, config: JudgeRewardConfig, input: RewardInput): string {
  return fillTemplate(template, {
    prompt: conversationText(input.messages),
    response: input.response,
    reference: input.reference ?? '',
    min: String(config.min),
    max: String(config.max),
  });
}

/** A failed judge call, said as the reward's failure rather than an agent's. */
function rewardError(error: unknown): unknown {
  if (error instanceof CallError && error.refused) return new RewardError(error.message, JUDGE, { attempts: error.attempts, refused: true });
  if (error instanceof CallError) return new RewardError(`reward judge: ${error.message.replace(`agent "${JUDGE}": `, '')}`, JUDGE, { unreachable: error.unreachable, attempts: error.attempts, status: error.status, noCredit: error.noCredit });
  return error;
}
