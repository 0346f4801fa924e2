import type { CompareRow } from './protocol';
import { STRATEGIES } from './tree';

/**
 * A strategy comparison's rows best first, as the panel, the markdown report and `toa compare`
 * all list them: by mean best reward, highest first; a strategy that finished no prompt (no
 * mean) last; ties in the order of STRATEGIES (TOA, then the baselines as the README lists
 * them), whatever order the rows came in.
 */
export function bestFirst<Row extends Pick<CompareRow, 'strategy' | 'meanBestReward'>>(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => byMean(a.meanBestReward, b.meanBestReward) || STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy));
}

function byMean(a: number | null, b: number | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return b - a;
}
