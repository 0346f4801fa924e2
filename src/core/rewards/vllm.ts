import type { RewardConfig } from '../config/schema';
import { postHeaders, postJson, type HttpContext } from './post-json';
import { jsonExcerpt } from '../util/excerpt';
import { chosenIndex, pooledScore, requireAt, toScore } from './read-score';
import { readScore, RewardError, type RewardModel } from './types';

export type VllmRewardConfig = Extract<RewardConfig, { type: 'vllm' }>;

/**
 * A reward model served by vLLM's pooling runner. Both endpoints take chat messages (vLLM
 * applies the model's chat template): the prompt plus the response as the assistant turn.
 * - `/classify` replies `{data: [{probs: [...], num_classes}]}`, one value per class. vLLM puts
 *   them through a sigmoid (one class) or a softmax (several) unless asked not to, and returns
 *   them in the model's dtype: for a one-label reward model such as Skywork's, whose raw scores
 *   run from about -20 to 20, bf16 sigmoids round every good answer to 1.0. So the raw score is
 *   asked for (`use_activation: false`; versions without it ignore the field and send
 *   probabilities). With several classes the score is the class `classIndex` names.
 * - `/pooling` replies `{data: [{data: ...}]}`: a pooled vector or one row per token (or step),
 *   per the model's pooler; `pooledScore` reads the outcome reward from either, the value
 *   `classIndex` names when a row holds several (a process reward model's `[p_bad, p_good]`).
 */
export function vllmReward(config: VllmRewardConfig, ctx: HttpContext): RewardModel {
  const url = `${config.baseURL.replace(/\/+$/, '')}/${config.endpoint}`;
  const headers = postHeaders(ctx.apiKey ? { authorization: `Bearer ${ctx.apiKey}` } : {});
  // /pooling rejects use_activation for some tasks, and its default there is already the raw output.
  const activation = config.activation ?? false;
  const extra = config.endpoint === 'classify' ? { use_activation: activation } : {};
  return {
    name: `vllm:${config.model}`,
    async score(input, signal) {
      const body = { model: config.model, messages: [...input.messages, { role: 'assistant', content: input.response }], ...extra };
      const { value: reply, attempts } = await postJson(ctx, url, body, headers, signal);
      return readScore(attempts, () => (config.endpoint === 'classify' ? classScore(reply, config.classIndex, activation, ctx.provider) : poolingScore(reply, config.classIndex, ctx.provider)), ctx.apiKey);
    },
  };
}

/**
 * The score: the only class's value, or that of the class `classIndex` names. Raw values of
 * several classes are logits, and one class's logit alone does not rank answers (logits [10, 9]
 * mean a lower chance of class 1 than [0, 1]): its log-odds against the others do, without
 * saturating as probabilities would.
 */
function classScore(reply: unknown, classIndex: number | undefined, activation: boolean, provider: string): number {
  const probs = requireAt(reply, ['data', 0, 'probs'], provider);
  if (!Array.isArray(probs) || probs.length === 0) throw new RewardError(`reward ${provider}: $.data[0].probs is ${jsonExcerpt(probs)}, not a list of class scores`, provider);
  const index = chosenIndex(probs.length, classIndex, provider, { noun: ['class', 'classes'], after: '', shown: () => jsonExcerpt(probs) });
  const values = probs.map((value, i) => toScore(value, () => `$.data[0].probs[${i}]`, provider));
  return activation || values.length === 1 ? values[index]! : logOdds(values, index);
}

/** log(p_i / (1 - p_i)) for softmax(logits): logit i minus the log-sum-exp of the others. */
function logOdds(logits: readonly number[], index: number): number {
  const others = logits.filter((_, i) => i !== index);
  const top = Math.max(...others);
  const rest = top + Math.log(others.reduce((sum, l) => sum + Math.exp(l - top), 0));
  return logits[index]! - rest;
}

function poolingScore(reply: unknown, classIndex: number | undefined, provider: string): number {
  const pooled = requireAt(reply, ['data', 0, 'data'], provider);
  const score = pooledScore(pooled, classIndex, provider);
  if (score === undefined) throw new RewardError(`reward ${provider}: $.data[0].data holds no score: ${jsonExcerpt(pooled)}`, provider);
  return score;
}
