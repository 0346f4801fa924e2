import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareMarkdown } from '../../../src/extension/compare-report';
import type { CompareRow } from '../../../src/shared/protocol';

const row = (strategy: CompareRow['strategy'], meanBestReward: number | null): CompareRow =>
  ({ strategy, meanBestReward, prompts: 2, failed: meanBestReward === null ? 2 : 0, plays: 8, tokens: 100, costUsd: 0, elapsedMs: 1000 });

test('the markdown report lists strategies best first, ties in the strategies\' order, one that finished no prompt last, the best in bold', () => {
  const report = compareMarkdown([row('moa', 0.9), row('sequential', null), row('toa', 0.9), row('prs', 0.95), row('best-of-n', 0.2)], {
    budget: 8, prompts: 2, agents: ['a'], source: 'prompts.jsonl lines 1-2', cancelled: false,
  });
  const rows = report.split('\n').filter((line) => /^\| [a-z-]+ \|/.test(line) && !line.startsWith('| strategy'));
  assert.deepEqual(rows.map((line) => line.split(' | ')[0]!.slice(2)), ['prs', 'toa', 'moa', 'best-of-n', 'sequential'], report);
  assert.match(rows[0]!, /^\| prs \| \*\*0\.9500\*\* \|/);
});
