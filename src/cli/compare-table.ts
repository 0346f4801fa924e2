import { textTable } from '../core/util/table';
import { bestFirst } from '../shared/compare-order';
import type { CompareRow } from '../shared/protocol';
import { fixed4 } from './stats-table';

/** `toa compare`'s table: one row per strategy, best first (see bestFirst), as the panel lists them. */
export function compareTable(rows: readonly CompareRow[]): string {
  return textTable(bestFirst(rows), [
    { header: 'strategy', value: (r) => r.strategy },
    { header: 'mean best reward', value: (r) => (r.meanBestReward === null ? 'n/a' : fixed4(r.meanBestReward)), align: 'right' },
    { header: 'prompts', value: (r) => r.prompts },
    { header: 'failed', value: (r) => r.failed },
    { header: 'plays', value: (r) => r.plays },
    { header: 'tokens', value: (r) => r.tokens },
    { header: 'cost', value: (r) => `$${r.costUsd.toFixed(4)}`, align: 'right' },
    { header: 'time', value: (r) => `${(r.elapsedMs / 1000).toFixed(1)} s`, align: 'right' },
  ]);
}
