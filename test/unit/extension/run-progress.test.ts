import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../../src/shared/events';
import { RunProgress } from '../../../src/extension/run-progress';
import { fakeRunEvents, resumedRunEvents } from '../../ui/fixtures/fake-run';

test('the progress notification of a resumed run measures the prompts it searches, not the ones already done', () => {
  const progress = new RunProgress(8);
  const steps = resumedRunEvents(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { prompts: 8, budget: 3 }).flatMap((e) => progress.step(e) ?? []);
  assert.deepEqual(steps.map((s) => s.message), [
    '0/7 prompts · 1 already done', '0/6 prompts · 2 already done', '0/5 prompts · 3 already done', '0/4 prompts · 4 already done',
    '0/3 prompts · 5 already done', '0/2 prompts · 6 already done', '1/2 prompts · 6 already done', '2/2 prompts · 6 already done',
  ]);
  assert.deepEqual(steps.map((s) => s.increment), [0, 0, 0, 0, 0, 0, 50, 50], 'the bar does not jump for work done before');
});

test('a run that skips nothing reports each prompt as a share of all', () => {
  const progress = new RunProgress(4);
  const steps = fakeRunEvents({ prompts: 4, budget: 2 }).flatMap((e) => progress.step(e) ?? []);
  assert.deepEqual(steps.map((s) => [s.message, s.increment]), [['1/4 prompts', 25], ['2/4 prompts', 25], ['3/4 prompts', 25], ['4/4 prompts', 25]]);
});

test('a cancelled run: the notification says what the run waits for until it ends, not the count', () => {
  const progress = new RunProgress(4);
  const events = fakeRunEvents({ prompts: 4, budget: 2 });
  const cut = events.findIndex((e) => e.type === 'prompt-done' && e.promptId === 'p2');
  const steps = [...events.slice(0, cut), cancelling(['p2', 'p3']), events[cut]!, cancelling(['p3'])].flatMap((e) => progress.step(e) ?? []);
  assert.deepEqual(steps.slice(-3).map((s) => s.message), [
    'cancelling: writing the outputs of 2 finished prompts (p2, p3) before it stops...',
    'cancelling: writing the outputs of 2 finished prompts (p2, p3) before it stops...',
    'cancelling: writing the outputs of 1 finished prompt (p3) before it stops...',
  ]);
  assert.equal(steps.reduce((sum, s) => sum + s.increment, 0), 50, 'the bar still counts the prompt saved');
});

function cancelling(saving: string[]): RunEvent {
  return { type: 'run-cancelling', saving };
}
