import type { RunWarning } from '../../shared/events';
import { sigmoidValue } from '../search/tree';

/**
 * TOA compares answers by v = sigmoid(r / tau), and the spec warns that this only discriminates
 * when tau matches the reward model's scale; users should not have to know that. A logit-scale
 * reward model (scores of -5..5) under the instruction task's tau 0.1 puts nearly every value
 * at 0.000 or 1.000, every mean ties, and TOA quietly degrades into picking the first child.
 * The run cannot see a reward model's scale before it scores, so it looks at the first rewards
 * (see FirstRewards) and says once, with a tau to try, when they saturate (or, under a tau far
 * too large, nearly all sit at 0.5). It never changes tau itself: the search stays the spec's,
 * and the same config gives the same trees.
 */

/** Values closer than this to 0 or 1 (|r / tau| > 6.9), or to 0.5 (|r / tau| < 0.004), no longer tell answers apart. */
const SATURATED = 0.001;
/** Share of saturated (or flat) values that makes the warning. */
const SATURATED_SHARE = 0.5;

/**
 * The warning for these rewards under `tau`, or undefined when the values discriminate. A tau
 * far too large fails the other way: every value sits at 0.5, the differences are lost under
 * the exploration term, and TOA spreads its plays evenly over the agents whatever they score.
 */
export function tauScaleWarning(rewards: readonly number[], tau: number): RunWarning | undefined {
  if (rewards.length === 0) return undefined;
  const high = rewards.filter((r) => sigmoidValue(r, tau) > 1 - SATURATED);
  const low = rewards.filter((r) => sigmoidValue(r, tau) < SATURATED);
  // Saturation loses nothing when the rewards there were equal anyway (a 0/1 check's 1s).
  if (blinds(rewards, high.length + low.length) && (new Set(high).size > 1 || new Set(low).size > 1)) {
    return warning(rewards, tau, 'small', high.length + low.length, '0 or 1');
  }
  const flat = rewards.filter((r) => Math.abs(sigmoidValue(r, tau) - 0.5) < SATURATED);
  // A 0/1 check's 0s all sit at 0.5 under its tau 1, and lose nothing there either.
  if (blinds(rewards, flat.length) && new Set(flat).size > 1 && tooLarge(rewards, tau)) return warning(rewards, tau, 'large', flat.length, '0.5');
  return undefined;
}

/**
 * Rewards near 0 sit at 0.5 under a fitting tau too: a probability reward's wrong answers
 * (0.0003 to 0.003 under tau 1) are flat there while its right ones (0.97 and up) stand out,
 * and that ranks right from wrong. A tau is too large only when the rewards as a whole are flat
 * under it, their 90th percentile of |r| below FLAT_SCALE * tau, and the tau to try is many times smaller.
 */
function tooLarge(rewards: readonly number[], tau: number): boolean {
  return p90Magnitude(rewards) / tau < FLAT_SCALE && suggestedTau(rewards) * LARGE_FACTOR <= tau;
}

/** Under a tau this many times the 90th percentile of |r|, 90% of the values sit within 0.0025 of 0.5. */
const FLAT_SCALE = 0.01;
/** How many times smaller than tau the suggested one must be for tau to be called large. */
const LARGE_FACTOR = 10;

function blinds(rewards: readonly number[], lost: number): boolean {
  return lost / rewards.length >= SATURATED_SHARE;
}

function warning(rewards: readonly number[], tau: number, size: 'small' | 'large', lost: number, where: string): RunWarning {
  const min = Math.min(...rewards);
  const max = Math.max(...rewards);
  const suggested = suggestedTau(rewards);
  const message =
    `search.tau ${tau} is ${size} for this reward model's scores (${fmt(min)} to ${fmt(max)} in the first ${rewards.length} plays): ` +
    `${Math.round((100 * lost) / rewards.length)}% of them give sigmoid(r / tau) within ${SATURATED} of ${where}, where TOA cannot tell answers apart. ` +
    `Set search.tau to about ${suggested}.`;
  return { code: 'tau-scale', message, suggestedTau: suggested };
}

/**
 * A tau that keeps most rewards within |r / tau| <= 3 (values between 0.05 and 0.95), where
 * sigmoid is steep enough to rank them: the 90th percentile of |r| over 3, to one significant
 * figure. sigmoid(r / tau) is not shift-invariant, so this looks at |r|, not at the spread.
 */
export function suggestedTau(rewards: readonly number[]): number {
  const tau = p90Magnitude(rewards) / 3;
  return tau > 0 ? Number(tau.toPrecision(1)) : 1;
}

/** The 90th percentile of |r| (1 when there are no rewards). */
function p90Magnitude(rewards: readonly number[]): number {
  const sorted = rewards.map(Math.abs).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? 1;
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
