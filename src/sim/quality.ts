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
 * - Aggregation of several responses starts from AGGREGATE_BEST_WEIGHT * best + the rest
 *   * mean, then refines that base: an aggregator mostly builds on the best answer it sees
 *   but is dragged down by weak ones.
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

/** The starting quality of an aggregation; `qualities` must not be empty. */
export function aggregateBase(qualities: readonly number[]): number {
  const best = Math.max(...qualities);
  const mean = qualities.reduce((s, q) => s + q, 0) / qualities.length;
  return AGGREGATE_BEST_WEIGHT * best + (1 - AGGREGATE_BEST_WEIGHT) * mean;
}
