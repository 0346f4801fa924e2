import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvents, emptySnapshot } from '../../../src/shared/panel-state';
import { alreadyDone, countPrompts, PromptTally } from '../../../src/shared/prompt-counts';
import { runningStatus } from '../../../src/extension/status-text';
import type { RunEvent } from '../../../src/shared/events';
import { fakeRunEvents, resumedRunEvents } from '../../ui/fixtures/fake-run';

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

/**
 * The core queues prompts lazily, a few ahead of the searches: 1,319 selected rows would read
 * as 1/4 early on. run-start carries the input's count, and every display counts against it.
 */
test('a run whose input is known up front counts all of it, not only the prompts queued so far', () => {
  const early: RunEvent[] = [
    { type: 'run-start', runId: 'r', strategy: 'toa', budget: 2, agents: ['a'], prompts: 1319 },
    ...['p1', 'p2', 'p3', 'p4'].map((id): RunEvent => ({ type: 'prompt-queued', promptId: id, preview: id })),
    fakeRunEvents({ prompts: 1, budget: 2 }).find((e) => e.type === 'prompt-done')!,
  ];
  const snapshot = applyEvents(emptySnapshot(), early);
  assert.deepEqual(countPrompts(snapshot.prompts, snapshot.inputPrompts), { finished: 1, total: 1319, skipped: 0 });
  const tally = new PromptTally();
  early.forEach((e) => tally.add(e));
  assert.deepEqual([tally.finished, tally.total], [1, 1319]);
  assert.equal(runningStatus('toa', tally).text, '$(sync~spin) TOA toa 1/1319 · 0 plays');

  const resuming: RunEvent[] = [{ type: 'run-start', runId: 'r2', strategy: 'toa', budget: 2, agents: ['a'], prompts: 8 }, ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id): RunEvent => ({ type: 'prompt-skipped', promptId: id })), { type: 'prompt-queued', promptId: 'p7', preview: '' }];
  const resumedSnapshot = applyEvents(emptySnapshot(), resuming);
  assert.deepEqual(countPrompts(resumedSnapshot.prompts, resumedSnapshot.inputPrompts), { finished: 0, total: 2, skipped: 6 }, 'the skipped rows are not to do');
  assert.equal(applyEvents(resumedSnapshot, [{ type: 'run-start', runId: 'r3', strategy: 'toa', budget: 2, agents: ['a'] }]).inputPrompts, undefined, 'a streamed run does not inherit the count');
});
