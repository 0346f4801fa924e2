import type { SimAgentSpec } from './types';
import { clamp01, gaussian, keyedUnit } from './random';
import type { Random } from '../core/util/random';

/**
 * The hidden-quality model. Everything here is a pure function of its inputs.
 *
 * - A prompt's difficulty is a stable property of its text, in [0, 1).
 * - An agent's skill on a prompt is `affinitySpread * a`, with a in [-1, 1) stable per
 *   (agent, prompt): the same agent is good at some prompts and poor at others, so the best
 *   agent differs between prompts, as with real models.
 * - From scratch: q = strength + skill - DIFFICULTY_SPREAD * (difficulty - 0.5) + noise.
 * - Refinement of a response of quality b: q = b + (refineGain + skill) * (1 - b) + noise, so
 *   a refinement moves quality toward 1 by the agent's gain (diminishing as b nears 1), and the
 *   noise makes it degrade sometimes, more often the better b already is.
 * - Aggregation of several responses starts from AGGREGATE_BEST_WEIGHT * (the one it judges
 *   best) + the rest * mean, then refines that base: an aggregator mostly builds on the answer
 *   it judges best but is dragged down by weak ones. It judges by a noisy perception of each
 *   answer's quality, as noisy as the reward model's scores: an aggregator is a generalist
 *   model reading K answers, no better a judge than a trained reward model. Building on the
 *   true best would hand MoA an oracle that no real model, and no reward-guided search, has.
 * Every result is clamped to [0, 1].
 */

const DIFFICULTY_SPREAD = 0.3;
const AGGREGATE_BEST_WEIGHT = 0.75;

export function difficulty(prompt: string): number {
  return keyedUnit('difficulty', prompt);
}

export function skill(agent: SimAgentSpec, prompt: string, affinitySpread: number): number {
  return affinitySpread * (2 * keyedUnit('affinity', agent.model, prompt) - 1);
}

export function scratchQuality(agent: SimAgentSpec, prompt: string, affinitySpread: number, rng: Random): number {
  const mean = agent.strength + skill(agent, prompt, affinitySpread) - DIFFICULTY_SPREAD * (difficulty(prompt) - 0.5);
  return clamp01(mean + agent.noise * gaussian(rng));
}

export function refinedQuality(agent: SimAgentSpec, prompt: string, base: number, affinitySpread: number, rng: Random): number {
  const gain = agent.refineGain + skill(agent, prompt, affinitySpread);
  return clamp01(base + gain * (1 - base) + agent.noise * gaussian(rng));
}

/**
 * The starting quality of an aggregation: `perceived[i]` is how good the aggregator takes
 * answer i (of true quality `qualities[i]`) to be. `qualities` must not be empty.
 */
export function aggregateBase(qualities: readonly number[], perceived: readonly number[]): number {
  let judgedBest = 0;
  for (let i = 1; i < qualities.length; i++) if (perceived[i]! > perceived[judgedBest]!) judgedBest = i;
  const best = qualities[judgedBest]!;
  const mean = qualities.reduce((s, q) => s + q, 0) / qualities.length;
  return AGGREGATE_BEST_WEIGHT * best + (1 - AGGREGATE_BEST_WEIGHT) * mean;
}
