import type { RetryNotice } from '../agents/types';
import { withDeadline } from '../agents/deadline';
import { connectionFault } from '../agents/faults';
import { bodyMessage } from '../agents/server-error';
import { FaultError, finalReason, isRetryableStatus, retryAfterMs, withRetries, type Fault } from '../agents/retry';
import type { Clock } from '../util/clock';
import { errorText } from '../util/errors';
import { redactReason, shownUrl } from '../util/redact';
import type { Random } from '../util/random';
import { replyExcerpt, serverText } from '../util/server-text';
import { USER_AGENT } from '../version';
import { RewardError } from './types';

/** What an HTTP reward provider needs to make calls. */
export interface HttpContext {
  /** Provider name for messages and retry notices, e.g. `vllm`. */
  provider: string;
  fetch: typeof fetch;
  clock: Clock;
  random: Random;
  timeoutMs: number;
  maxRetries: number;
  onRetry?(notice: RetryNotice): void;
  /** Sent as a bearer token by the providers that take one; kept out of fault reasons (see redact). */
  apiKey?: string;
}

/**
 * POSTs JSON and parses the JSON reply, with the agents' retry policy: 429, 408, 409, 5xx,
 * timeouts, lost connections and unparseable replies are retried (Retry-After honoured);
 * other statuses fail at once with the server's message. Throws RewardError. Returns the reply
 * and the calls it took. `headers` are the request's own, from postHeaders.
 */
export async function postJson(ctx: HttpContext, url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<{ value: unknown; attempts: number }> {
  return withRetries(() => withDeadline(signal, ctx.timeoutMs, (s) => attempt(ctx, url, body, headers, s)), {
    maxRetries: ctx.maxRetries,
    clock: ctx.clock,
    random: ctx.random,
    signal,
    classify: (error) => redactReason(classifyFetchError(error), ctx.apiKey),
    onRetry: (r) => ctx.onRetry?.({ agent: ctx.provider, reward: true, ...r }),
    fail: (fault, attempts) => {
      const request = ` (POST ${shownUrl(url)})`;
      return new RewardError(`reward ${ctx.provider}: ${finalReason(fault, attempts)}${request}`, ctx.provider, { unreachable: fault.unreachable, attempts, status: fault.status, request });
    },
  });
}

/** What every post sends unless a provider's headers say otherwise. */
const OWN_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT };

/**
 * A provider's request headers, worked out once for all its calls: ours, then each of `layers`
 * in turn (a key, the config's `headers`). A header a later layer sets replaces an earlier one's
 * whatever case either is written in: given both `content-type` and `Content-Type`, fetch would
 * send the two values joined.
 */
export function postHeaders(...layers: Readonly<Record<string, string>>[]): Record<string, string> {
  let headers: Record<string, string> = { ...OWN_HEADERS };
  for (const layer of layers) {
    const replaced = new Set(Object.keys(layer).map((name) => name.toLowerCase()));
    headers = { ...Object.fromEntries(Object.entries(headers).filter(([name]) => !replaced.has(name.toLowerCase()))), ...layer };
  }
  return headers;
}

async function attempt(ctx: HttpContext, url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new FaultError({
      retryable: isRetryableStatus(response.status),
      reason: `${response.status} ${serverMessage(text) || response.statusText}`,
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers, ctx.clock.now()),
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FaultError({ retryable: true, reason: `malformed reply (not JSON): ${replyExcerpt(text)}` });
  }
}

/** The message in an error body, in the shapes the agents read too (bodyMessage), else the body shortened as theirs. */
function serverMessage(text: string): string {
  try {
    return bodyMessage(JSON.parse(text)) ?? serverText(text);
  } catch {
    return serverText(text);
  }
}

function classifyFetchError(error: unknown): Fault {
  if (error instanceof FaultError) return error.fault;
  // fetch reports network failures (refused, reset, DNS, a blocked port) as TypeError, with the detail in `cause`.
  if (error instanceof TypeError) return connectionFault(error);
  return { retryable: false, reason: errorText(error) };
}
