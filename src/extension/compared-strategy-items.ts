import { bestFirst } from '../shared/compare-order';
import type { CompareRow } from '../shared/protocol';
import { STRATEGY_TITLES, type StrategyName } from '../shared/tree';

export interface StrategyItem {
  label: string;
  description: string;
  strategy: StrategyName;
}

/**
 * The quick pick's rows for the strategies the panel still holds, in the order the Compare tab,
 * the report and `toa compare` list them (best first, see bestFirst), each with its mean best
 * reward and a mark on the one shown.
 */
export function comparedStrategyItems(held: readonly StrategyName[], rows: readonly CompareRow[], shown: StrategyName): StrategyItem[] {
  const means = held.map((strategy) => ({ strategy, meanBestReward: rows.find((r) => r.strategy === strategy)?.meanBestReward ?? null }));
  return bestFirst(means).map(({ strategy, meanBestReward }) => {
    const reward = meanBestReward === null ? 'no prompt finished' : `mean best reward ${meanBestReward.toFixed(3)}`;
    return { label: STRATEGY_TITLES[strategy], description: strategy === shown ? `${reward} · shown` : reward, strategy };
  });
}
