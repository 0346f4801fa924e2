import { BaselineTree, scratch, singleAgent, times } from './baseline-tree';
import { ROOT } from './tree';
import type { PlayRequest, Strategy } from './types';

/**
 * The baselines whose plays do not wait on each other's text: best-of-n, PRS and the parallel
 * ensemble (toa-algorithm.md, "Baselines"). Each makes exactly `params.budget` plays.
 */

/** Random sampling: `params.agent` answers from scratch `budget` times. */
export const bestOfN: Strategy = async (env, signal) => {
  const b = new BaselineTree(env, 'best-of-n', signal);
  const request = scratch(singleAgent(env));
  await b.commitAll(times(env.params.budget, () => b.pool.start(request)), ROOT, request, []);
  return b.tree;
};

/**
 * PRS as the reference simplifies it: floor(N/2) answers from scratch, then the other
 * N - floor(N/2) plays all refine the best of those by raw reward (picked once, first on ties,
 * like numpy's argmax; later refinements do not re-pick). With N = 1 the one play is from
 * scratch, as there is nothing to refine yet.
 */
export const prs: Strategy = async (env, signal) => {
  const b = new BaselineTree(env, 'prs', signal);
  const agent = singleAgent(env);
  const budget = env.params.budget;
  const first = Math.min(budget, Math.max(1, Math.floor(budget / 2)));
  const fromScratch = scratch(agent);
  const drafts = await b.commitAll(times(first, () => b.pool.start(fromScratch)), ROOT, fromScratch, []);
  const best = drafts.reduce((top, id) => (b.reward(id) > b.reward(top) ? id : top));
  const refine: PlayRequest = { agent, mode: 'refine', sources: [b.text(best)] };
  await b.commitAll(times(budget - first, () => b.pool.start(refine)), best, refine, [best]);
  return b.tree;
};

/**
 * Parallel ensemble: every agent answers from scratch, dealt round-robin (agent i mod K), so
 * with a budget that K does not divide the first (budget mod K) agents get one play more.
 */
export const ensemble: Strategy = async (env, signal) => {
  const b = new BaselineTree(env, 'ensemble', signal);
  const requests = times(env.params.budget, (i) => scratch(i % env.agents.length));
  const plays = requests.map((request) => b.pool.start(request));
  for (const [i, play] of plays.entries()) await b.commit(play, ROOT, requests[i]!, []);
  return b.tree;
};
