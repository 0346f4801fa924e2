import fc from 'fast-check';
import type { SearchParams } from '../../../src/core/config/defaults';
import type { PlayRequest } from '../../../src/core/search/types';
import type { SearchTree, TreeNode } from '../../../src/shared/tree';
import { propertyRuns } from '../property-runs';
import { fakeEnv, type FakeOptions, type RecordingEnv } from './fake-env';

/**
 * fast-check inputs for the search properties: a few agents, a budget, the search parameters,
 * and the rewards the fake agents get (extremes, ties and identical scores included; finite, as
 * the play contract demands).
 */

export const PROPERTY_RUNS = propertyRuns(20_241_231, 60);

/**
 * Rewards as a reward model could give them: ordinary, saturating, tied, and denormal. Not -0:
 * JSON writes it as 0, so a tree holding it would not compare equal after a round trip, though
 * nothing reads the sign of a zero reward.
 */
const reward = fc.oneof(
  fc.double({ min: -5, max: 5, noNaN: true }).map((r) => r + 0),
  fc.constantFrom(0, 1, -1, 0.5, 1e-300, -1e-300, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer({ min: -3, max: 3 }),
);

export interface SearchCase {
  k: number;
  params: SearchParams;
  /** Reward of call i is rewards[i % length]; one entry means every answer scores the same. */
  rewards: number[];
}

export const searchCase = (maxBudget = 200): fc.Arbitrary<SearchCase> =>
  fc.record({
    k: fc.integer({ min: 1, max: 6 }),
    budget: fc.integer({ min: 1, max: maxBudget }),
    tau: fc.constantFrom(0.01, 0.1, 1, 10, 1e-9, 1e9),
    alpha: fc.constantFrom(0, 0.01, 0.1, 1, 100),
    widthOverK: fc.integer({ min: 0, max: 60 }),
    topk: fc.integer({ min: 1, max: 8 }),
    seed: fc.integer({ min: -1000, max: 1000 }),
    agentPick: fc.nat(),
    moaLayers: fc.integer({ min: 1, max: 5 }),
    rewards: fc.array(reward, { minLength: 1, maxLength: 12 }),
  }).map(({ k, budget, widthOverK, agentPick, rewards, ...rest }) => ({
    k,
    rewards,
    // Width at least K, as the config clamps it (toa-algorithm.md, edge case).
    params: { ...rest, strategy: 'toa', budget, width: k + widthOverK, agent: agentPick % k },
  }));

export function caseEnv(c: SearchCase, options: FakeOptions = {}): RecordingEnv {
  const agents = Array.from({ length: c.k }, (_, i) => ({ name: `agent${i}`, skill: 0.3 + 0.05 * i, gain: 0.05, noise: 0.2 }));
  return fakeEnv({ agents, params: c.params, reward: (_: PlayRequest, index: number) => c.rewards[index % c.rewards.length]!, uniqueTexts: true, ...options });
}

export const responsesOf = (tree: SearchTree): TreeNode[] => tree.nodes.filter((n) => n.kind === 'response');

/** Response ids below `id` (itself excluded), in play order. */
export function responsesBelow(tree: SearchTree, id: number): TreeNode[] {
  const found: TreeNode[] = [];
  const walk = (at: number): void => {
    for (const child of tree.nodes[at]!.children) {
      if (tree.nodes[child]!.kind === 'response') found.push(tree.nodes[child]!);
      walk(child);
    }
  };
  walk(id);
  return found.sort((a, b) => a.play! - b.play!);
}
