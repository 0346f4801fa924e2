import type { RewardConfig } from '../config/schema';
import { postJson, type HttpContext } from './post-json';
import { jsonExcerpt } from './excerpt';
import { pooledScore, requireAt, scoreAt } from './read-score';
import { readScore, RewardError, type RewardModel } from './types';

export type VllmRewardConfig = Extract<RewardConfig, { type: 'vllm' }>;

/**
 * A reward model served by vLLM's pooling runner. Both endpoints take chat messages (vLLM
 * applies the model's chat template): the prompt plus the response as the assistant turn.
 * - `/classify` replies `{data: [{probs: [...]}]}`; the score is `probs[0]` (a one-label reward
 *   head yields exactly one).
 * - `/pooling` replies `{data: [{data: ...}]}`: a pooled vector or one row per token, per the
 *   model's pooler; `pooledScore` reads the outcome reward from either.
 */
export function vllmReward(config: VllmRewardConfig, ctx: HttpContext): RewardModel {
  const url = `${config.baseURL.replace(/\/+$/, '')}/${config.endpoint}`;
  const headers: Record<string, string> = ctx.apiKey ? { authorization: `Bearer ${ctx.apiKey}` } : {};
  return {
    name: `vllm:${config.model}`,
    async score(input, signal) {
      const body = { model: config.model, messages: [...input.messages, { role: 'assistant', content: input.response }] };
      const { value: reply, attempts } = await postJson(ctx, url, body, headers, signal);
      return readScore(attempts, () => {
        if (config.endpoint === 'classify') return scoreAt(reply, ['data', 0, 'probs', 0], ctx.provider);
        const pooled = requireAt(reply, ['data', 0, 'data'], ctx.provider);
        const score = pooledScore(pooled);
        if (score === undefined) throw new RewardError(`reward ${ctx.provider}: $.data[0].data holds no score: ${jsonExcerpt(pooled)}`, ctx.provider);
        return score;
      }, ctx.apiKey);
    },
  };
}
