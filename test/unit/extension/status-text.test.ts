import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PanelChannel, persistableSnapshot, restoredSnapshot } from '../../../src/extension/panel/panel-channel';
import { cancellingStatus, idleStatus, lastRunOf, preparingStatus, runningStatus } from '../../../src/extension/status-text';
import { emptySnapshot } from '../../../src/shared/panel-state';
import { PromptTally } from '../../../src/shared/prompt-counts';
import type { RunEvent } from '../../../src/shared/events';
import { fakeRunEvents, resumedRunEvents } from '../../ui/fixtures/fake-run';

const resumed = resumedRunEvents(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { prompts: 8, budget: 3 });

function tallyOf(events: RunEvent[]): PromptTally {
  const tally = new PromptTally();
  events.forEach((e) => tally.add(e));
  return tally;
}

/** The snapshot a reloaded window restores from what the panel saved after `events`. */
function reloaded(events: RunEvent[]): ReturnType<typeof restoredSnapshot> {
  const channel = new PanelChannel();
  events.forEach((e) => channel.pushEvent(e));
  return restoredSnapshot(persistableSnapshot(channel.snapshot, 10, 1000));
}

test('a resumed run: the status bar counts the prompts it searches and says how many were already done', () => {
  const running = runningStatus('toa', tallyOf(resumed.slice(0, -1)));
  assert.equal(running.text, '$(sync~spin) TOA toa 2/2 · 6 already done · 6 plays');
  assert.match(running.tooltip, /6 prompts already had a search in the trace output, so this run skipped them/);
  assert.equal(idleStatus({ outcome: 'finished', counts: tallyOf(resumed) }).text, '$(type-hierarchy) TOA · last run done: 2/2 · 6 already done');
});

test('after a window reload the status bar sums up the run the panel restores, as it did before', () => {
  assert.equal(idleStatus(lastRunOf(emptySnapshot())).text, '$(type-hierarchy) TOA');
  assert.equal(idleStatus(lastRunOf(reloaded(resumed))).text, '$(type-hierarchy) TOA · last run done: 2/2 · 6 already done');
  const events = fakeRunEvents({ prompts: 8, budget: 3 });
  const cut = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p3');
  const cancelled: RunEvent[] = [...events.slice(0, cut), { type: 'run-done', cancelled: true, totals: { prompts: 8, done: 2, failed: 0, skipped: 0, plays: 6, promptTokens: 0, completionTokens: 0, costUsd: 0, elapsedMs: 0 } }];
  assert.equal(idleStatus(lastRunOf(reloaded(cancelled))).text, '$(type-hierarchy) TOA · last run cancelled: 2/8');
});

test('a window reloaded mid-run: the status bar calls the run interrupted, as the panel does', () => {
  const events = fakeRunEvents({ prompts: 8, budget: 3 });
  const midRun = events.slice(0, events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p3') + 1);
  const restored = reloaded(midRun);
  assert.equal(restored.outcome, 'interrupted');
  assert.equal(idleStatus(lastRunOf(restored)).text, '$(type-hierarchy) TOA · last run interrupted: 2/8');
});

test('a cancelled run that still writes finished prompts\' outputs: the status bar says it is cancelling and what for', () => {
  assert.deepEqual(cancellingStatus(['p1', 'p2', 'p3', 'p4']), {
    text: '$(sync~spin) TOA cancelling: saving 4 prompts',
    tooltip: 'TOA Studio is cancelling the run: writing the outputs of 4 finished prompts (p1, p2, p3, ...) before it stops. Click to open the panel.',
  });
  assert.equal(cancellingStatus([]).text, '$(sync~spin) TOA cancelling');
  // A window reloaded while it was cancelling: the run was cut short, and is no longer cancelling.
  const events = fakeRunEvents({ prompts: 8, budget: 3 });
  const midRun = events.slice(0, events.findIndex((e) => e.type === 'prompt-done' && e.promptId === 'p3'));
  const restored = reloaded([...midRun, { type: 'run-cancelling', saving: ['p3'] }]);
  assert.equal(restored.outcome, 'interrupted');
  assert.equal(restored.cancelling, undefined);
});

test('a run being set up: the status bar says what its setup is doing', () => {
  const status = preparingStatus('reading data/traces.jsonl for the prompts already done');
  assert.equal(status.text, '$(sync~spin) TOA preparing: reading data/traces.jsonl for the prompts already done…');
  assert.match(status.tooltip, /Cancel run/);
  assert.equal(preparingStatus('reading the prompts', '4,000 of 9,000 lines').text, '$(sync~spin) TOA preparing: reading the prompts (4,000 of 9,000 lines)…');
});

test('a window reloaded during a run\'s setup does not come back preparing', () => {
  const channel = new PanelChannel();
  fakeRunEvents({ prompts: 1, budget: 2 }).forEach((e) => channel.pushEvent(e));
  channel.post({ type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'checking the outputs' } });
  assert.ok(channel.snapshot.preparing);
  assert.equal('preparing' in persistableSnapshot(channel.snapshot, 10, 1000), false);
});
