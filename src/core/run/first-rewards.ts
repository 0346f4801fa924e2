import type { RunWarning } from '../../shared/events';

/** Rewards looked at before judging (the first plays of the run, across prompts). */
export const FIRST_REWARDS_SAMPLE = 32;
/** A run that ends sooner is judged on what it has, if it has at least this many. */
export const FIRST_REWARDS_MIN = 8;

/** A judgement of a run's first rewards: the warning they call for, if any. */
export type RewardJudge = (rewards: readonly number[]) => RunWarning | undefined;

/**
 * Collects a run's first rewards and judges them once: a reward model that cannot rank answers
 * (see tau-check.ts, flat-rewards.ts) shows in its first scores, and saying so then, not after
 * the whole dataset, saves the run's calls.
 */
export class FirstRewards {
  private readonly rewards: number[] = [];
  private judged = false;

  constructor(
    private readonly judges: readonly RewardJudge[],
    private readonly warn: (warning: RunWarning) => void,
  ) {}

  observe(reward: number): void {
    if (this.judged) return;
    this.rewards.push(reward);
    if (this.rewards.length >= FIRST_REWARDS_SAMPLE) this.judge();
  }

  /** At the end of a run that scored fewer than FIRST_REWARDS_SAMPLE rewards. */
  finish(): void {
    if (!this.judged && this.rewards.length >= FIRST_REWARDS_MIN) this.judge();
  }

  private judge(): void {
    this.judged = true;
    for (const judge of this.judges) {
      const warning = judge(this.rewards);
      if (warning) this.warn(warning);
    }
    this.rewards.length = 0;
  }
}
