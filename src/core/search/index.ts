import { abortScope } from '../util/abort-scope';
import type { SearchTree, StrategyName } from '../../shared/tree';
import { bestOfN, ensemble, prs } from './baselines';
import { moa, sequential } from './baselines-chained';
import { toa } from './toa';
import type { SearchEnv, Strategy } from './types';

/** Every search strategy by its config name; all make exactly `params.budget` plays. */
export const strategies: Record<StrategyName, Strategy> = {
  toa,
  'best-of-n': bestOfN,
  prs,
  ensemble,
  sequential,
  moa,
};

/** Searches one prompt. Rejects with the signal's reason when aborted, or with the first failed play. */
export async function runStrategy(name: StrategyName, env: SearchEnv, signal: AbortSignal): Promise<SearchTree> {
  const strategy = strategies[name];
  if (!strategy) throw new Error(`unknown search strategy: ${String(name)}`);
  // The strategy's signals (its play pools' included) hang off this per-prompt scope, never off
  // the run's signal directly, so nothing of a finished prompt stays reachable from the run.
  const scope = abortScope(signal);
  try {
    return await strategy(env, scope.signal);
  } finally {
    scope.release();
  }
}

export { bestAnswer, candidates } from './candidates';
export type { SearchEnv, Strategy } from './types';
