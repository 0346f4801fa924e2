import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparedStrategyItems } from '../../../src/extension/compared-strategy-items';
import type { CompareRow } from '../../../src/shared/protocol';

const row = (strategy: CompareRow['strategy'], meanBestReward: number | null): CompareRow =>
  ({ strategy, meanBestReward, prompts: 2, failed: meanBestReward === null ? 2 : 0, plays: 8, tokens: 100, costUsd: 0, elapsedMs: 1000 });

test("the palette's pick of a compared strategy lists them best first, as the Compare tab does, with the shown one marked", () => {
  const rows = [row('best-of-n', 0.5), row('moa', null), row('toa', 0.75), row('sequential', 0.75)];
  const items = comparedStrategyItems(['best-of-n', 'moa', 'toa', 'sequential'], rows, 'best-of-n');
  assert.deepEqual(items.map((i) => i.strategy), ['toa', 'sequential', 'best-of-n', 'moa']);
  assert.deepEqual(items.map((i) => i.description), ['mean best reward 0.750', 'mean best reward 0.750', 'mean best reward 0.500 · shown', 'no prompt finished']);
});

test('a held strategy without a row of the comparison goes last, as one that finished no prompt', () => {
  const items = comparedStrategyItems(['prs', 'toa'], [row('toa', 0.1)], 'toa');
  assert.deepEqual(items.map((i) => [i.strategy, i.description]), [['toa', 'mean best reward 0.100 · shown'], ['prs', 'no prompt finished']]);
});
