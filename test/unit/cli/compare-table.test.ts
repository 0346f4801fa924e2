import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTable } from '../../../src/cli/compare-table';
import type { CompareRow } from '../../../src/shared/protocol';

const row = (strategy: CompareRow['strategy'], meanBestReward: number | null): CompareRow =>
  ({ strategy, meanBestReward, prompts: 2, failed: meanBestReward === null ? 2 : 0, plays: 8, tokens: 100, costUsd: 0, elapsedMs: 1000 });

test("toa compare's table lists strategies best first, ties in the strategies' order, one that finished no prompt last", () => {
  const table = compareTable([row('moa', 0.5), row('sequential', null), row('toa', 0.5), row('prs', 0.9), row('best-of-n', 0.2)]);
  const order = table.split('\n').slice(1).map((line) => line.split(/\s+/)[0]).filter((name) => name && !/^-+$/.test(name));
  assert.deepEqual(order, ['prs', 'toa', 'moa', 'best-of-n', 'sequential'], table);
});
