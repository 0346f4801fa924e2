import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvents, emptySnapshot } from '../../../src/shared/panel-state';
import { alreadyDone, countPrompts, PromptTally } from '../../../src/shared/prompt-counts';
import { resumedRunEvents } from '../../ui/fixtures/fake-run';

/** Eight prompts, six of them in the trace already: a Synthesize File that resumes. */
const resumed = resumedRunEvents(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { prompts: 8, budget: 3 });

test('a resumed run counts the prompts it searches, and the ones resume skipped apart', () => {
  const snapshot = applyEvents(emptySnapshot(), resumed);
  assert.deepEqual(countPrompts(snapshot.prompts), { finished: 2, total: 2, skipped: 6 });
  const tally = new PromptTally();
  resumed.forEach((e) => tally.add(e));
  assert.deepEqual([tally.finished, tally.total, tally.skipped, tally.plays], [2, 2, 6, 6]);
  assert.equal(alreadyDone(6), ' · 6 already done');
  assert.equal(alreadyDone(0), '');
});

test('before its searches end, a resumed run has done none of them, whatever it skipped', () => {
  const started = resumed.slice(0, resumed.findIndex((e) => e.type === 'prompt-done'));
  assert.deepEqual(countPrompts(applyEvents(emptySnapshot(), started).prompts), { finished: 0, total: 2, skipped: 6 });
});

test('a skipped prompt says why in the list', () => {
  const snapshot = applyEvents(emptySnapshot(), resumed);
  assert.equal(snapshot.prompts[0]!.reason, 'already done: its search is in the trace output');
});
