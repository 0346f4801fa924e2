import type { Random } from '../core/util/random';
import { KEY_LIMITS } from './key-faults';
import type { SimCounters, SimFaults } from './types';

export type FaultKind = keyof SimCounters['faults'];

/** What goes wrong with one request: rejected outright, or served slowly and/or broken. */
export interface FaultPlan {
  reject?: '429' | '500';
  slow: boolean;
  broken?: 'cut' | 'malformed';
}

/**
 * Draws a request's faults. Each kind gets its own draw, always all five, so a rate changes
 * only its own kind's outcomes and the rates read as plain probabilities (in order: a 429
 * wins over a 500, a malformed body over a cut).
 */
export function planFaults(faults: SimFaults, rng: Random): FaultPlan {
  const [u429, u500, uSlow, uMalformed, uCut] = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next()];
  const slow = uSlow < faults.rateSlow;
  if (u429 < faults.rate429) return { reject: '429', slow: false };
  if (u500 < faults.rate500) return { reject: '500', slow: false };
  if (uMalformed < faults.rateMalformed) return { slow, broken: 'malformed' };
  if (uCut < faults.rateCut) return { slow, broken: 'cut' };
  return { slow };
}

/** The kinds a plan counts as, for the counters. */
export function planKinds(plan: FaultPlan): FaultKind[] {
  const kinds: FaultKind[] = [];
  if (plan.reject) kinds.push(plan.reject);
  if (plan.slow) kinds.push('slow');
  if (plan.broken) kinds.push(plan.broken);
  return kinds;
}

const RATE_KEYS = ['rate429', 'rate500', 'rateSlow', 'rateCut', 'rateMalformed'] as const;
/** A fault setting that is a probability per request. */
export type RateKey = (typeof RATE_KEYS)[number];
const AMOUNT_KEYS = ['retryAfterSeconds', 'slowMs'] as const;

/**
 * Applies a partial fault setting (from options or from POST /sim/faults, so `patch` is
 * untrusted). Throws with a message naming the field when a value is out of range or unknown, or
 * when a key limit names a model the server does not serve (`models`).
 */
export function mergeFaults(current: SimFaults, patch: unknown, models: readonly string[]): SimFaults {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('faults must be a JSON object');
  const next: SimFaults = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if ((RATE_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`faults.${key} must be a number from 0 to 1`);
    } else if ((AMOUNT_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new Error(`faults.${key} must be a number >= 0`);
    } else if (KEY_LIMITS.includes(key)) {
      checkKeyLimits(key, value, models);
    } else {
      throw new Error(`faults.${key} is not a fault setting`);
    }
    Object.assign(next, { [key]: value });
  }
  return next;
}

/**
 * A key limit for a model the server does not serve. The server's check is the only one: `toa
 * sim` says it of the flag that set the limit (see sim-command.ts).
 */
export class UnservedModelError extends Error {
  constructor(
    readonly key: string,
    readonly model: string,
    readonly models: readonly string[],
  ) {
    super(`faults.${key}.${model}: no such model (models: ${models.join(', ')})`);
    this.name = 'UnservedModelError';
  }
}

/** A key limit: an object from model names the server serves to whole numbers of calls, >= 0. */
function checkKeyLimits(key: string, value: unknown, models: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`faults.${key} must be an object of model names to numbers of calls`);
  for (const [model, calls] of Object.entries(value)) {
    if (!models.includes(model)) throw new UnservedModelError(key, model, models);
    if (!Number.isInteger(calls) || (calls as number) < 0) throw new Error(`faults.${key}.${model} must be a whole number of calls >= 0`);
  }
}
