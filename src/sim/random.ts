import { hashString, seededRandom, type Random } from '../core/util/random';

/**
 * A generator seeded by a key built from `parts`, so every draw is tied to what it is about
 * (seed, model, request, counter) rather than to a shared stream whose position would depend
 * on how concurrent requests interleave.
 */
export function keyedRandom(...parts: ReadonlyArray<string | number>): Random {
  return seededRandom(hashString(parts.join('\u0001')));
}

/** A stable uniform in [0, 1) for a key: a property of the key, not a draw. */
export function keyedUnit(...parts: ReadonlyArray<string | number>): number {
  return keyedRandom(...parts).next();
}

/** Standard normal by Box-Muller; `1 - u` keeps the logarithm's argument in (0, 1]. */
export function gaussian(rng: Random): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
