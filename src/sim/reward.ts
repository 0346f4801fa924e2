import { z } from 'zod';
import { pause, type Exchange, type SimContext } from './context';
import { applyFaults, refusedKey, sendJsonOrBroken } from './fault-replies';
import { NO_FAULTS } from './defaults';
import { HttpError, readJson } from './http';
import { countTokens } from './text';

/**
 * vLLM's pooling endpoints for a reward model. A request is chat-shaped, `{model, messages}`
 * (the prompt's messages, then the response as the last message), or completion-shaped,
 * `{model, input}` with one text or a batch of texts. Replies keep vLLM's wire shapes, one
 * `data` entry per scored item:
 *   /classify -> data: [{index, label, probs: [score], num_classes: 1}]
 *   /pooling  -> data: [{index, object: "pooling", data: [score]}]
 */

const rewardRequestSchema = z.union([
  z.object({ model: z.string(), messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1) }),
  z.object({ model: z.string(), input: z.union([z.string(), z.array(z.string()).min(1)]) }),
]);

/** One thing to score: the response, and the context it was scored in (for the noise key). */
interface RewardItem {
  response: string;
  context: string;
}

export type RewardEndpoint = 'classify' | 'pooling';

export function rewardHandler(endpoint: RewardEndpoint): (ctx: SimContext, ex: Exchange) => Promise<void> {
  return async (ctx, ex) => {
    const body = await readJson(ex.req);
    const parsed = rewardRequestSchema.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'expected {model, messages: [{role, content}, ...]} or {model, input: string | string[]}');
    const request = parsed.data;
    if (request.model !== ctx.rewardModel) {
      throw new HttpError(404, `The model \`${request.model}\` does not exist.`, 'NotFoundError', 'model_not_found', 'model');
    }
    if (refusedKey(ctx, ex, request.model)) return;
    const items = rewardItems(request);
    // Reward calls take part in fault injection only when asked: most tests fault the agents.
    const faults = ctx.rewardFaults ? ctx.faults() : NO_FAULTS;
    const rng = ctx.engine.rewardRandom(JSON.stringify(body));
    const plan = await applyFaults(ctx, ex, faults, rng);
    if (!plan) return;
    await pause(ctx, ex, ctx.rewardLatencyMs);
    const scores = items.map((item) => ctx.engine.reward(item.response, item.context));
    const tokens = items.reduce((sum, item) => sum + countTokens(item.context) + countTokens(item.response), 0);
    sendJsonOrBroken(ex, plan, {
      id: `${endpoint === 'classify' ? 'classify' : 'pool'}-${Math.floor(rng.next() * 1e12).toString(16)}`,
      object: 'list',
      created: ctx.now(),
      model: request.model,
      data: scores.map((score, index) => (endpoint === 'classify' ? { index, label: 'LABEL_0', probs: [score], num_classes: 1 } : { index, object: 'pooling', data: [score] })),
      usage: { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0, prompt_tokens_details: null },
    });
  };
}

function rewardItems(request: z.infer<typeof rewardRequestSchema>): RewardItem[] {
  if ('messages' in request) {
    const { messages } = request;
    return [{ response: messages.at(-1)!.content, context: messages.slice(0, -1).map((m) => `${m.role}: ${m.content}`).join('\n') }];
  }
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  return inputs.map((input) => ({ response: input, context: '' }));
}
