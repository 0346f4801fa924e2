import { shuffled } from '../util/random';
import { BaselineTree, scratch, times } from './baseline-tree';
import type { PlayPool } from './pool';
import { ROOT } from './tree';
import type { PlayOutcome, Strategy } from './types';

/**
 * The baselines whose plays build on earlier answers: sequential refinement and
 * Mixture-of-Agents (toa-algorithm.md, "Baselines"). Independent chains (rounds, repeats) run
 * concurrently; within one, a play starts when the answers it needs exist. Each strategy makes
 * exactly `params.budget` plays.
 */

/**
 * Sequential refinement: ceil(N/K) rounds; each round shuffles the agent order with env.rng,
 * the first answers from scratch and each next refines the previous answer. With N not a
 * multiple of K the last round is cut short after the first (N mod K) agents of its order.
 */
export const sequential: Strategy = async (env, signal) => {
  const b = new BaselineTree(env, 'sequential', signal);
  const k = env.agents.length;
  const budget = env.params.budget;
  // All orders are drawn before any call, so env.rng is consumed the same way however calls finish.
  const agentIds = times(k, (agent) => agent);
  const orders = times(Math.ceil(budget / k), (round) => shuffled(agentIds, env.rng).slice(0, budget - round * k));
  const chains = orders.map((order) => startChain(b.pool, order));
  for (const [round, order] of orders.entries()) {
    let previous: number | null = null;
    for (const [step, agent] of order.entries()) {
      const play = chains[round]![step]!;
      previous =
        previous === null
          ? await b.commit(play, ROOT, scratch(agent), [])
          : await b.commit(play, previous, { agent, mode: 'refine' }, [previous]);
    }
  }
  return b.tree;
};

function startChain(pool: PlayPool, order: number[]): Promise<PlayOutcome>[] {
  const steps: Promise<PlayOutcome>[] = [];
  for (const agent of order) {
    const previous = steps.at(-1);
    steps.push(previous ? pool.after(previous, (answer) => ({ agent, mode: 'refine', sources: [answer.text] })) : pool.start(scratch(agent)));
  }
  return steps;
}

/**
 * Mixture-of-Agents: repeats of L = params.moaLayers layers. Layer 0: every agent answers from
 * scratch; each later layer: every agent aggregates the K answers of the layer before. With N
 * not a multiple of K*L the last repeat stops when the budget does, its last layer keeping the
 * first agents in config order (it still sees a whole layer before it).
 */
export const moa: Strategy = async (env, signal) => {
  const b = new BaselineTree(env, 'moa', signal);
  const k = env.agents.length;
  const layers = Math.max(1, env.params.moaLayers);
  const budget = env.params.budget;
  const repeats = times(Math.ceil(budget / (k * layers)), (r) => layerSizes(budget - r * k * layers, k, layers));
  const started = repeats.map((sizes) => startLayers(b.pool, sizes));
  for (const layerPlays of started) {
    let previous: number[] = [];
    for (const plays of layerPlays) {
      const ids: number[] = [];
      for (const [agent, play] of plays.entries()) {
        ids.push(await b.commit(play, ROOT, { agent, mode: previous.length === 0 ? 'scratch' : 'aggregate' }, previous));
      }
      previous = ids;
    }
  }
  return b.tree;
};

/** Plays per layer of one repeat with `remaining` plays left: K each until the budget runs out. */
function layerSizes(remaining: number, k: number, layers: number): number[] {
  return times(layers, (layer) => Math.min(k, remaining - layer * k)).filter((size) => size > 0);
}

function startLayers(pool: PlayPool, sizes: number[]): Promise<PlayOutcome>[][] {
  const started: Promise<PlayOutcome>[][] = [];
  for (const size of sizes) {
    const before = started.at(-1);
    started.push(
      times(size, (agent) =>
        before ? pool.after(Promise.all(before), (answers) => ({ agent, mode: 'aggregate', sources: answers.map((a) => a.text) })) : pool.start(scratch(agent)),
      ),
    );
  }
  return started;
}
