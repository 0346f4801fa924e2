import type { PromptRow } from '../chat';
import { CallError, type Completion } from '../agents/types';
import type { PlayOutcome, PlayRequest, SearchEnv } from '../search/types';
import { buildPlayMessages } from '../templates';
import type { RunContext } from './context';

/**
 * One prompt's `SearchEnv.play`: build the messages from the templates, call the agent, score
 * the response against the ORIGINAL prompt, and fill in the play's CallStats. A play holds one
 * slot of the run's global gate for its model call and then its reward call, so
 * `run.concurrency` bounds plays in flight across all prompts; `order` (the prompt's place in the
 * input) is its priority. Per-agent concurrency and rate limits live inside each ChatAgent.
 */
export function createPlay(ctx: RunContext, row: PromptRow, order: number): SearchEnv['play'] {
  return async (request: PlayRequest, signal: AbortSignal): Promise<PlayOutcome> => {
    const agent = ctx.options.agents[request.agent];
    const config = ctx.options.config.agents[request.agent];
    if (!agent || !config) throw new Error(`no agent #${request.agent}`);
    const messages = buildPlayMessages(request, row, config, ctx.templates);
    await ctx.gate.acquire(order, signal);
    try {
      const completion = await callAgent(ctx, request.agent, () => agent.complete(messages, signal), signal);
      const scoreStart = ctx.clock.now();
      const input = { messages: row.messages, response: completion.text, reference: row.reference, promptId: row.id };
      const reward = await ctx.options.reward.score(input, signal);
      const rewardLatencyMs = ctx.clock.now() - scoreStart;
      ctx.stats.playScored(request.agent, reward);
      ctx.reporter.statsChanged();
      const { promptTokens, completionTokens, latencyMs, costUsd, attempts } = completion;
      return { text: completion.text, reward, call: { promptTokens, completionTokens, latencyMs, costUsd, rewardLatencyMs, attempts } };
    } finally {
      ctx.gate.release();
    }
  };
}

/** The model call, counted in the stats whether it succeeds or fails for good (not when cancelled). */
async function callAgent(ctx: RunContext, agent: number, call: () => Promise<Completion>, signal: AbortSignal): Promise<Completion> {
  let completion: Completion;
  try {
    completion = await call();
  } catch (error) {
    if (!signal.aborted) {
      ctx.stats.callFailed(agent, error instanceof CallError ? error.attempts : 1);
      ctx.reporter.statsChanged();
    }
    throw error;
  }
  ctx.stats.callDone(agent, completion);
  ctx.reporter.statsChanged();
  return completion;
}
