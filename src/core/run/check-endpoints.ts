import type { ChatMessage } from '../chat';
import { CallError, type ChatAgent } from '../agents/types';
import type { ToaConfig } from '../config/schema';
import type { RunModels } from '../models';
import { RewardError, type RewardModel } from '../rewards/types';
import { systemClock, type Clock } from '../util/clock';
import { errorText } from '../util/errors';
import { excerpt } from '../util/excerpt';
import { agentEndpoint, rewardEndpoint, type ConfigEndpoint } from './config-endpoints';
import { asConfigured, ownReason, reachAdvice } from './endpoint-down';
import { firstCallAdvice } from './request-refused';

/** One endpoint's answer to a check call. */
export interface EndpointCheck {
  /** As messages name it, with the field that sets it and its URL: `agent "gpt" (agents[0].baseURL, https://…)`. */
  endpoint: string;
  ok: boolean;
  /** What it answered (`answered in 812 ms: "Ready."`), or why it failed and what to check. */
  said: string;
}

/** Short, and answerable by any chat model: a check should cost next to nothing. */
const CHECK_PROMPT: ChatMessage[] = [{ role: 'user', content: 'Reply with one word: ready.' }];

/**
 * Calls every agent once and the reward model once, as a run would call them (their keys, limits
 * and retries), and says which answered. A run stops at the first endpoint that cannot answer;
 * this says it of all of them at once, before a long run, and costs one short call each. The
 * reward scores the first agent answer (or a stand-in when none answered), so a judge, a scorer
 * and a command are each called with what a run sends them. Throws only when `signal` aborts.
 */
export async function checkEndpoints(config: ToaConfig, models: RunModels, signal: AbortSignal, clock: Clock = systemClock): Promise<EndpointCheck[]> {
  const agents = await Promise.all(models.agents.map((agent, i) => checkAgent(agent, agentEndpoint(config, i), signal, clock)));
  const answer = agents.find((a) => a.text !== undefined)?.text ?? 'Ready.';
  const reward = await checkReward(config, models.reward, answer, signal, clock);
  return [...agents.map((a) => a.check), reward];
}

async function checkAgent(agent: ChatAgent, endpoint: ConfigEndpoint, signal: AbortSignal, clock: Clock): Promise<{ check: EndpointCheck; text?: string }> {
  const started = clock.now();
  try {
    const { text } = await agent.complete(CHECK_PROMPT, signal);
    return { check: answered(endpoint, `answered in ${elapsed(clock, started)}: ${excerpt(text, 60)}`), text };
  } catch (error) {
    return { check: failed(endpoint, error, signal) };
  }
}

async function checkReward(config: ToaConfig, reward: RewardModel, answer: string, signal: AbortSignal, clock: Clock): Promise<EndpointCheck> {
  const endpoint = rewardEndpoint(config.reward);
  // Nothing to call: it compares answers with each row's reference, which the check has none of.
  if (config.reward.type === 'reference') return answered(endpoint, `nothing to call (reward.type "reference" checks answers against each row's ${config.input.referenceField})`);
  const started = clock.now();
  try {
    const { reward: score } = await reward.score({ messages: CHECK_PROMPT, response: answer }, signal);
    // As many digits as tell scores apart, not the 17 of a float.
    return answered(endpoint, `scored an answer ${Number(score.toPrecision(4))} in ${elapsed(clock, started)}`);
  } catch (error) {
    return failed(endpoint, error, signal);
  }
}

function answered(endpoint: ConfigEndpoint, said: string): EndpointCheck {
  return { endpoint: named(endpoint), ok: true, said };
}

/** The failure in the words a run would stop with, without the endpoint's name (the check's line starts with it). */
function failed(endpoint: ConfigEndpoint, error: unknown, signal: AbortSignal): EndpointCheck {
  signal.throwIfAborted();
  if (!(error instanceof CallError || error instanceof RewardError)) return { endpoint: named(endpoint), ok: false, said: errorText(error) };
  const advice = error.unreachable ? reachAdvice(endpoint, error.unreachable) : firstCallAdvice(endpoint, error);
  const reason = ownReason(error).replace(/\.$/, '');
  return { endpoint: named(endpoint), ok: false, said: advice ? `${reason}. ${advice}` : reason };
}

/** `agent "gpt" (agents[0].baseURL, https://api.openai.com/v1)`: the URL as the config writes it, unless it holds a secret (see asConfigured). */
function named({ what, field, url }: ConfigEndpoint): string {
  const where = [field, url === undefined ? undefined : asConfigured(url)].filter((part) => part !== undefined);
  return where.length ? `${what} (${where.join(', ')})` : what;
}

function elapsed(clock: Clock, started: number): string {
  return `${Math.round(clock.now() - started)} ms`;
}

/** The check as the CLI and the extension's log write it, one line each. */
export function checkLine(check: EndpointCheck): string {
  return `${(check.ok ? 'ok' : 'FAILED').padEnd(6)}  ${check.endpoint}: ${check.said}`;
}
