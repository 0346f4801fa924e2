import type { SimAgentSpec, SimFaults } from './types';

/**
 * Five agents whose strengths are close enough that the per-prompt affinity (see quality.ts)
 * reorders them: the large model wins most prompts but not all, the refiner is mediocre from
 * scratch and the best at improving others, the wild one is erratic and sometimes brilliant.
 */
export const DEFAULT_SIM_AGENTS: readonly SimAgentSpec[] = [
  { model: 'sim-large', strength: 0.66, refineGain: 0.25, noise: 0.1 },
  { model: 'sim-medium', strength: 0.6, refineGain: 0.3, noise: 0.12 },
  { model: 'sim-small', strength: 0.5, refineGain: 0.15, noise: 0.12 },
  { model: 'sim-refiner', strength: 0.52, refineGain: 0.45, noise: 0.1 },
  { model: 'sim-wild', strength: 0.56, refineGain: 0.2, noise: 0.22 },
];

export const SIM_REWARD_MODEL = 'sim-reward';

export const NO_FAULTS: SimFaults = {
  rate429: 0,
  retryAfterSeconds: 1,
  rate500: 0,
  rateSlow: 0,
  slowMs: 1000,
  rateCut: 0,
  rateMalformed: 0,
  revokeKeyAfter: {},
  outOfCreditAfter: {},
};

/**
 * Defaults for the optional SimOptions. Latencies are 0 so tests and golden runs are fast;
 * demos pass realistic ones. Reward scale 0.1 is ArmoRM-like and matches the instruction
 * task's default tau of 0.1.
 */
export const SIM_DEFAULTS = {
  seed: 0,
  latencyMs: 0,
  rewardLatencyMs: 0,
  rewardNoise: 0.08,
  rewardScale: 0.1,
  affinitySpread: 0.12,
} as const;
