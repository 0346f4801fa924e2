import type { RewardConfig } from '../config/schema';
import { fillBody } from './body-template';
import { parseJsonPath } from './json-path';
import { postHeaders, postJson, type HttpContext } from './post-json';
import { scoreAt } from './read-score';
import { readScore, type RewardModel } from './types';

export type HttpRewardConfig = Extract<RewardConfig, { type: 'http' }>;

/**
 * Any JSON-over-HTTP scorer: POST `url` with the filled body template, read the score at
 * `scorePath`. The API key (if any: the environment's, or the extension's SecretStorage) goes in
 * `apiKeyHeader`: Authorization as a bearer token, any other header (x-api-key, Azure's api-key)
 * as it is, so no key need be written in the config file's `headers`, where it is not redacted.
 * Headers the config sets win.
 */
export function httpReward(config: HttpRewardConfig, ctx: HttpContext): RewardModel {
  // Parsed once, for every reply; parseConfig has reported a path that does not parse.
  const steps = parseJsonPath(config.scorePath);
  const keyHeader = config.apiKeyHeader.toLowerCase();
  const key = ctx.apiKey ? { [keyHeader]: keyHeader === 'authorization' ? `Bearer ${ctx.apiKey}` : ctx.apiKey } : {};
  // The config's headers come last: one it sets for the key's header wins over the key.
  const headers = postHeaders(key, config.headers);
  return {
    name: `http:${new URL(config.url).host}`,
    async score(input, signal) {
      const { value: reply, attempts } = await postJson(ctx, config.url, fillBody(config.bodyTemplate, input), headers, signal);
      return readScore(attempts, () => scoreAt(reply, steps, ctx.provider), ctx.apiKey);
    },
  };
}
