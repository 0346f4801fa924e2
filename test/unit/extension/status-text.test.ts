import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idleStatus, runningStatus } from '../../../src/extension/status-text';
import { PromptTally } from '../../../src/shared/prompt-counts';
import type { RunEvent } from '../../../src/shared/events';
import { resumedRunEvents } from '../../ui/fixtures/fake-run';

const resumed = resumedRunEvents(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { prompts: 8, budget: 3 });

function tallyOf(events: RunEvent[]): PromptTally {
  const tally = new PromptTally();
  events.forEach((e) => tally.add(e));
  return tally;
}

test('a resumed run: the status bar counts the prompts it searches and says how many were already done', () => {
  const running = runningStatus('toa', tallyOf(resumed.slice(0, -1)));
  assert.equal(running.text, '$(sync~spin) TOA toa 2/2 · 6 already done · 6 plays');
  assert.match(running.tooltip, /6 prompt\(s\) already had a search in the trace output, so this run skipped them/);
  assert.equal(idleStatus({ outcome: 'finished', counts: tallyOf(resumed) }).text, '$(type-hierarchy) TOA · last run done: 2/2 · 6 already done');
});
