import type { RewardConfig } from '../config/schema';
import { fillBody } from './body-template';
import { parseJsonPath } from './json-path';
import { postJson, type HttpContext } from './post-json';
import { scoreAt } from './read-score';
import { readScore, type RewardModel } from './types';

export type HttpRewardConfig = Extract<RewardConfig, { type: 'http' }>;

/**
 * Any JSON-over-HTTP scorer: POST `url` with the filled body template, read the score at
 * `scorePath`. The API key (if any) is sent as a bearer token unless the configured headers
 * already set Authorization.
 */
export function httpReward(config: HttpRewardConfig, ctx: HttpContext): RewardModel {
  // Parsed once, for every reply; parseConfig has reported a path that does not parse.
  const steps = parseJsonPath(config.scorePath);
  const hasAuth = Object.keys(config.headers).some((name) => name.toLowerCase() === 'authorization');
  const headers = ctx.apiKey && !hasAuth ? { ...config.headers, authorization: `Bearer ${ctx.apiKey}` } : config.headers;
  return {
    name: `http:${new URL(config.url).host}`,
    async score(input, signal) {
      const { value: reply, attempts } = await postJson(ctx, config.url, fillBody(config.bodyTemplate, input), headers, signal);
      return readScore(attempts, () => scoreAt(reply, steps, ctx.provider), ctx.apiKey);
    },
  };
}
