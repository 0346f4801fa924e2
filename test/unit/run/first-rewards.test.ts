import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_REWARDS_MIN, FIRST_REWARDS_SAMPLE, FirstRewards } from '../../../src/core/run/first-rewards';
import type { RunWarning } from '../../../src/shared/events';

const flagAll = (rewards: readonly number[]): RunWarning => ({ code: 'flat-reward', message: `judged ${rewards.length}` });

test('the first FIRST_REWARDS_SAMPLE rewards are judged once, or at the end what a shorter run scored', () => {
  const warnings: RunWarning[] = [];
  const check = new FirstRewards([flagAll], (w) => warnings.push(w));
  for (let i = 0; i < FIRST_REWARDS_SAMPLE - 1; i++) check.observe(5 + i);
  assert.equal(warnings.length, 0);
  check.observe(99);
  assert.deepEqual(warnings.map((w) => w.message), [`judged ${FIRST_REWARDS_SAMPLE}`]);
  for (let i = 0; i < 3 * FIRST_REWARDS_SAMPLE; i++) check.observe(5 + i);
  check.finish();
  assert.equal(warnings.length, 1, 'once per run');

  const short = new FirstRewards([flagAll], (w) => warnings.push(w));
  for (let i = 0; i < FIRST_REWARDS_MIN - 1; i++) short.observe(5 + i);
  short.finish();
  assert.equal(warnings.length, 1, 'too few rewards to judge');
  const enough = new FirstRewards([flagAll], (w) => warnings.push(w));
  for (let i = 0; i < FIRST_REWARDS_MIN; i++) enough.observe(5 + i);
  enough.finish();
  assert.deepEqual(warnings.map((w) => w.message).at(-1), `judged ${FIRST_REWARDS_MIN}`);
});

test('every judge sees the same sample, and each warning it calls for is said', () => {
  const seen: number[][] = [];
  const warnings: RunWarning[] = [];
  const judge = (rewards: readonly number[]): undefined => void seen.push([...rewards]);
  const check = new FirstRewards([judge, flagAll, judge], (w) => warnings.push(w));
  for (let i = 0; i < FIRST_REWARDS_SAMPLE; i++) check.observe(i);
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[0], seen[1]);
  assert.equal(seen[0]!.length, FIRST_REWARDS_SAMPLE);
  assert.equal(warnings.length, 1);
});
