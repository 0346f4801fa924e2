import type { Clock } from '../util/clock';
import type { NoConnection } from '../util/errors';
import type { Random } from '../util/random';
import { count } from '../../shared/plural';

/**
 * One retry policy for every network call the core makes (chat agents and HTTP reward models),
 * so faults are handled, reported and paced the same way everywhere.
 */

/** What went wrong with one attempt, and whether trying again could help. */
export interface Fault {
  reason: string;
  retryable: boolean;
  status?: number;
  /** The server's own wait hint (Retry-After), in ms. */
  retryAfterMs?: number;
  /** No connection could be made, and why (see noConnection): nothing answered at all. */
  unreachable?: NoConnection;
  /** The endpoint refused a request field the config sets; `reason` says which field to change. */
  refused?: boolean;
  /** The account behind the key has no credit left (see classifyChatError): no wait brings it back. */
  noCredit?: boolean;
}

/** Carries an already classified fault out of an attempt. */
export class FaultError extends Error {
  constructor(readonly fault: Fault) {
    super(fault.reason);
    this.name = 'FaultError';
  }
}

export interface Backoff {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Ceiling of the exponential delay. */
  capMs: number;
  /** Ceiling on a server's Retry-After, so a misconfigured server cannot park a run for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, capMs: 20_000, maxRetryAfterMs: 120_000 };

/**
 * Exponential backoff with "equal jitter": half of each step is fixed and half random, so
 * clients that failed together spread out but never retry with no pause at all.
 */
export function backoffDelay(retry: number, backoff: Backoff, random: Random): number {
  const step = Math.min(backoff.capMs, backoff.baseMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (step / 2) * random.next());
}

export interface HeaderSource {
  get(name: string): string | null;
}

/** The wait a server asks for: `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: HeaderSource | undefined, now: number): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** HTTP statuses worth another try: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * How a call that failed for good is described, by agents and HTTP rewards alike: `gave up after
 * 6 attempts: <reason>`, or the reason alone when retrying could not help.
 */
export function finalReason(fault: Fault, attempts: number): string {
  return fault.retryable ? `gave up after ${count(attempts, 'attempt')}: ${fault.reason}` : fault.reason;
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  clock: Clock;
  random: Random;
  signal: AbortSignal;
  backoff?: Backoff;
  classify(error: unknown): Fault;
  /** Called before each wait; `attempt` is the 1-based attempt that failed. */
  onRetry?(retry: { attempt: number; reason: string; delayMs: number }): void;
  /** The error to throw when a fault is final or retries are spent. */
  fail(fault: Fault, attempts: number): Error;
}

/**
 * Runs `attempt` until it succeeds, a fault is not retryable, or retries are spent. An abort
 * wins over everything: it rejects with the signal's reason, during an attempt or a wait.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<{ value: T; attempts: number }> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  for (let n = 1; ; n++) {
    options.signal.throwIfAborted();
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      options.signal.throwIfAborted();
      const fault = options.classify(error);
      if (!fault.retryable || n > options.maxRetries) throw options.fail(fault, n);
      const delayMs =
        fault.retryAfterMs === undefined ? backoffDelay(n, backoff, options.random) : Math.min(fault.retryAfterMs, backoff.maxRetryAfterMs);
      options.onRetry?.({ attempt: n, reason: fault.reason, delayMs });
      await options.clock.sleep(delayMs, options.signal);
    }
  }
}
