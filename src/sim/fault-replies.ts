import type { OutgoingHttpHeaders } from 'node:http';
import { pause, type Exchange, type SimContext } from './context';
import { planFaults, planKinds, type FaultPlan } from './faults';
import { HttpError, sendError } from './http';
import type { Random } from '../core/util/random';
import type { SimFaults } from './types';

/**
 * Draws this request's faults, counts them, answers 429/500 rejections at once (as real
 * gateways do, before any work) and waits out a slow reply. Returns the plan, or undefined when
 * the request was rejected and nothing more should be sent.
 */
export async function applyFaults(ctx: SimContext, ex: Exchange, faults: SimFaults, rng: Random): Promise<FaultPlan | undefined> {
  const plan = planFaults(faults, rng);
  for (const kind of planKinds(plan)) ctx.counters.fault(kind);
  if (plan.reject === '429') {
    const seconds = faults.retryAfterSeconds;
    const error = new HttpError(429, `Rate limit reached (simulated); retry after ${seconds}s.`, 'requests', 'rate_limit_exceeded');
    sendError(ex.res, error, { 'retry-after': String(seconds) });
    return undefined;
  }
  if (plan.reject === '500') {
    sendError(ex.res, new HttpError(500, 'The server had an error while processing your request (simulated).', 'server_error'));
    return undefined;
  }
  if (plan.slow) await pause(ctx, ex, faults.slowMs);
  return plan;
}

/**
 * Counts a call of `model` and, once its key stopped working (see KeyLedger), answers 401 or 402
 * at once. Returns whether the call was refused. Applies to reward calls too, whatever
 * `rewardFaults` says: the limit names its model.
 */
export function refusedKey(ctx: SimContext, ex: Exchange, model: string): boolean {
  const refusal = ctx.keys.refusal(ctx.faults(), model);
  if (!refusal) return false;
  ctx.counters.fault(refusal.status === 401 ? '401' : '402');
  sendError(ex.res, refusal);
  return true;
}

/**
 * Sends a JSON body, or breaks it as the plan says: `malformed` sends a 200 whose body stops
 * half-way (not valid JSON); `cut` promises the full length, sends half and destroys the socket.
 */
export function sendJsonOrBroken(ex: Exchange, plan: FaultPlan, body: unknown): void {
  const text = JSON.stringify(body);
  const half = text.slice(0, Math.floor(text.length / 2));
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json' };
  if (plan.broken === 'malformed') {
    ex.res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(half) });
    ex.res.end(half);
  } else if (plan.broken === 'cut') {
    ex.res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(text) });
    ex.res.write(half, () => ex.breakOff());
  } else {
    ex.res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(text) });
    ex.res.end(text);
  }
}
