import type { PromptRow } from '../chat';
import { RewardError, type RewardInput, type Scored } from '../rewards/types';
import { CallError, type Completion } from '../agents/types';
import type { PlayOutcome, PlayRequest, SearchEnv } from '../search/types';
import { buildPlayMessages } from '../templates';
import type { RunContext } from './context';
import { EndpointDownError } from './endpoint-down';
import { agentEndpoint, rewardEndpoint } from './config-endpoints';
import { RequestRefusedError } from './request-refused';

/**
 * One prompt's `SearchEnv.play`: build the messages from the templates, call the agent, score
 * the response against the ORIGINAL prompt, and fill in the play's CallStats. The model call
 * holds a slot of the run's gate (`run.concurrency` model calls in flight across prompts), the
 * reward call one of the reward gate. Per-agent concurrency and rate limits live inside each
 * ChatAgent.
 */
export function createPlay(ctx: RunContext, row: PromptRow, order: number): SearchEnv['play'] {
  let started = 0;
  return async (request: PlayRequest, signal: AbortSignal): Promise<PlayOutcome> => {
    const agent = ctx.options.agents[request.agent];
    const config = ctx.options.config.agents[request.agent];
    if (!agent || !config) throw new Error(`no agent #${request.agent}`);
    const messages = buildPlayMessages(request, row, config, ctx.templates);
    const priority = playPriority(ctx, order, started++);
    const completion = await ctx.gate.run(() => callAgent(ctx, request.agent, row.id, () => agent.complete(messages, signal), signal), signal, priority);
    const input = { messages: row.messages, response: completion.text, reference: row.reference, promptId: row.id };
    const { reward, latencyMs: rewardLatencyMs } = await ctx.rewardGate.run(() => scoreOnce(ctx, input, signal), signal, priority);
    ctx.stats.playScored(request.agent, reward);
    ctx.firstRewards.observe(reward);
    ctx.reporter.statsChanged();
    const { promptTokens, completionTokens, latencyMs, costUsd, attempts } = completion;
    return { text: completion.text, reward, call: { promptTokens, completionTokens, latencyMs, costUsd, rewardLatencyMs, attempts } };
  };
}

/**
 * Lower goes first. While input remains, prompts go in input order, so they finish (and reach
 * the outputs) roughly in order. Once the input is exhausted, the prompt with the fewest plays
 * started goes first: the last prompts then progress together and end together, instead of a
 * tail where a few sequential searches run on with most of the slots idle.
 */
export function playPriority(ctx: Pick<RunContext, 'inputDone'>, order: number, started: number): number {
  return ctx.inputDone ? started * 2 ** 32 + order : order;
}

/**
 * The reward call, counted in the stats whether it succeeds or fails for good (not when
 * cancelled). An unreachable reward endpoint that never answered in this run ends the run, and
 * so does one that refuses a request field the config sets or rejects the model or the request's
 * format before it answered, or rejects the key or its account at any time.
 */
async function scoreOnce(ctx: RunContext, input: RewardInput & { promptId: string }, signal: AbortSignal): Promise<{ reward: number; latencyMs: number }> {
  const started = ctx.clock.now();
  let scored: Scored;
  try {
    scored = await ctx.options.reward.score(input, signal);
  } catch (error) {
    if (!signal.aborted) ctx.stats.rewardFailed(error instanceof RewardError ? error.attempts : 1);
    if (error instanceof RewardError) {
      const answered = ctx.stats.scoredAny();
      const endpoint = rewardEndpoint(ctx.options.config.reward);
      haltIfEveryCallFails(ctx, input.promptId, everyCallFails(error, answered, ctx.rejections.advice(endpoint, error, input.promptId, answered), (e) => new EndpointDownError(endpoint, e)));
    }
    throw error;
  }
  const latencyMs = ctx.clock.now() - started;
  ctx.stats.rewardDone(scored.attempts, latencyMs);
  return { reward: scored.reward, latencyMs };
}

/**
 * The model call, counted in the stats whether it succeeds or fails for good (not when
 * cancelled). An unreachable agent that never answered in this run ends the run, and so does one
 * that refuses a request field the config sets or rejects the model or the request's format
 * before it answered, or rejects the key or its account at any time.
 */
async function callAgent(ctx: RunContext, agent: number, promptId: string, call: () => Promise<Completion>, signal: AbortSignal): Promise<Completion> {
  let completion: Completion;
  try {
    completion = await call();
  } catch (error) {
    if (!signal.aborted) {
      ctx.stats.callFailed(agent, error instanceof CallError ? error.attempts : 1, error instanceof CallError ? error.spent : undefined);
      ctx.reporter.statsChanged();
      if (error instanceof CallError) {
        const answered = ctx.stats.answered(agent);
        const endpoint = agentEndpoint(ctx.options.config, agent);
        haltIfEveryCallFails(ctx, promptId, everyCallFails(error, answered, ctx.rejections.advice(endpoint, error, promptId, answered), (e) => new EndpointDownError(endpoint, e)));
      }
    }
    throw error;
  }
  ctx.stats.callDone(agent, completion);
  ctx.reporter.statsChanged();
  return completion;
}

/**
 * A fault every later call would meet too ends the run: a rejected key or account at any time
 * (`rejected`, the advice Rejections gives); no connection, a refused field, a rejected model or
 * request format only while the endpoint has not `answered` once in this run (after that, a
 * fault that looks alike may be passing, and fails only its prompt). Undefined: the fault fails
 * only its prompt.
 */
function everyCallFails<E extends CallError | RewardError>(error: E, answered: boolean, rejected: string | undefined, down: (error: E) => EndpointDownError): Error | undefined {
  if (!answered && error.unreachable) return down(error);
  if (!answered && error.refused) return new RequestRefusedError(error);
  if (rejected) return new RequestRefusedError(error, rejected);
  return undefined;
}

/** Halts the run at once, while this call still holds its slot (see RunStop), and throws the error that ends it. */
function haltIfEveryCallFails(ctx: RunContext, promptId: string, fatal: Error | undefined): void {
  if (!fatal) return;
  ctx.stop.halt(fatal, promptId);
  throw fatal;
}
