import type { RunWarning } from '../../shared/events';
import { sigmoidValue } from '../search/tree';

/**
 * TOA compares answers by v = sigmoid(r / tau), and the spec warns that this only discriminates
 * when tau matches the reward model's scale; users should not have to know that. A logit-scale
 * reward model (scores of -5..5) under the instruction task's tau 0.1 puts nearly every value
 * at 0.000 or 1.000, every mean ties, and TOA quietly degrades into picking the first child.
 * The run cannot see a reward model's scale before it scores, so it looks at the first rewards
 * and says once, with a tau to try, when they saturate. It never changes tau itself: the search
 * stays the spec's, and the same config gives the same trees.
 */

/** Rewards looked at before judging (the first plays of the run, across prompts). */
export const TAU_CHECK_SAMPLE = 32;
/** A run that ends sooner is judged on what it has, if it has at least this many. */
export const TAU_CHECK_MIN = 8;
/** Values closer than this to 0 or 1 no longer tell answers apart (|r / tau| > 6.9). */
const SATURATED = 0.001;
/** Share of saturated values that makes the warning. */
const SATURATED_SHARE = 0.5;

/** The warning for these rewards under `tau`, or undefined when the values discriminate. */
export function tauScaleWarning(rewards: readonly number[], tau: number): RunWarning | undefined {
  if (rewards.length === 0) return undefined;
  const high = rewards.filter((r) => sigmoidValue(r, tau) > 1 - SATURATED);
  const low = rewards.filter((r) => sigmoidValue(r, tau) < SATURATED);
  const saturated = high.length + low.length;
  if (saturated / rewards.length < SATURATED_SHARE) return undefined;
  // Saturation loses nothing when the rewards there were equal anyway (a 0/1 check's 1s).
  if (new Set(high).size <= 1 && new Set(low).size <= 1) return undefined;
  const min = Math.min(...rewards);
  const max = Math.max(...rewards);
  const suggested = suggestedTau(rewards);
  const message =
    `search.tau ${tau} is small for this reward model's scores (${fmt(min)} to ${fmt(max)} in the first ${rewards.length} plays): ` +
    `${Math.round((100 * saturated) / rewards.length)}% of them give sigmoid(r / tau) within ${SATURATED} of 0 or 1, where TOA cannot tell answers apart. ` +
    `Set search.tau to about ${suggested}.`;
  return { code: 'tau-scale', message, suggestedTau: suggested };
}

/**
 * A tau that keeps most rewards within |r / tau| <= 3 (values between 0.05 and 0.95), where
 * sigmoid is steep enough to rank them: the 90th percentile of |r| over 3, to one significant
 * figure. sigmoid(r / tau) is not shift-invariant, so this looks at |r|, not at the spread.
 */
export function suggestedTau(rewards: readonly number[]): number {
  const sorted = rewards.map(Math.abs).sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? 1;
  const tau = p90 / 3;
  return tau > 0 ? Number(tau.toPrecision(1)) : 1;
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** Collects a run's first rewards and judges them once. */
export class TauCheck {
  private readonly rewards: number[] = [];
  private judged = false;

  constructor(
    private readonly tau: number,
    private readonly warn: (warning: RunWarning) => void,
  ) {}

  observe(reward: number): void {
    if (this.judged) return;
    this.rewards.push(reward);
    if (this.rewards.length >= TAU_CHECK_SAMPLE) this.judge();
  }

  /** At the end of a run that scored fewer than TAU_CHECK_SAMPLE rewards. */
  finish(): void {
    if (!this.judged && this.rewards.length >= TAU_CHECK_MIN) this.judge();
  }

  private judge(): void {
    this.judged = true;
    const warning = tauScaleWarning(this.rewards, this.tau);
    this.rewards.length = 0;
    if (warning) this.warn(warning);
  }
}
