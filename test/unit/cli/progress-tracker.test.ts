import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../../src/shared/events';
import type { ProgressLine } from '../../../src/cli/progress';
import { ProgressTracker } from '../../../src/cli/progress-tracker';
import { RetryLines } from '../../../src/core/run/retry-lines';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';
import { resumedRunEvents } from '../../ui/fixtures/fake-run';

/** A progress line that keeps its updates as `done/total detail`. */
function recorder(): ProgressLine & { lines: string[] } {
  const lines: string[] = [];
  return { lines, update: (done, total, detail) => void lines.push(`${done}/${total} ${detail}`), log: (line) => void lines.push(line), end: () => undefined };
}

const done = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

test('toa run resuming: the bar counts the prompts it searches, and the ones in the trace apart', () => {
  const progress = recorder();
  const tracker = new ProgressTracker(progress, 8);
  resumedRunEvents(done, { prompts: 8, budget: 3 }).forEach((e) => tracker.onEvent(e));
  assert.equal(progress.lines[5], '0/2 prompts · 6 already done · 0 plays', 'six skipped: none of the two left is done');
  assert.equal(progress.lines.at(-1), '2/2 prompts · 6 already done · 6 plays');
});

test('toa run cancelled after a resume: the prompts not started leave out the ones in the trace', () => {
  const tracker = new ProgressTracker(recorder(), 8);
  const events = resumedRunEvents(done, { prompts: 8, budget: 3 });
  const cut = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p8');
  [...events.slice(0, cut), { type: 'prompt-cancelled', promptId: 'p8' } as const].forEach((e) => tracker.onEvent(e));
  assert.match(tracker.cancelNote(), /^cancelled: 1 prompt cut short; run the command again/);
});

test('toa run cancelled while finished prompts are written: says once what it waits for', () => {
  const progress = recorder();
  const tracker = new ProgressTracker(progress, 8);
  const events = resumedRunEvents(done, { prompts: 8, budget: 3 });
  const cut = events.findIndex((e) => e.type === 'prompt-done' && e.promptId === 'p7');
  [...events.slice(0, cut), cancelling(['p7']), cancelling([])].forEach((e) => tracker.onEvent(e));
  assert.deepEqual(progress.lines.filter((line) => line.startsWith('cancelling')), ['cancelling: writing the outputs of 1 finished prompt (p7) before it stops']);
});

test('toa run stopped by an error: the retries not said yet are counted before the stop note, so the error it points to is directly below it', () => {
  const progress = recorder();
  const retries = new RetryLines((line) => progress.log(line));
  const tracker = new ProgressTracker(progress, 8, retries);
  const events = fakeRunEvents({ prompts: 8, budget: 3 });
  const end = events.findIndex((e) => e.type === 'run-done');
  for (const attempt of [1, 2, 3]) retries.notice({ agent: 'small', attempt, reason: '502 bad gateway', delayMs: 100 });
  const stopped = { ...(events[end] as Extract<RunEvent, { type: 'run-done' }>), stopped: 'reward http: 401 Invalid API key' };
  [...events.slice(0, end), stopped].forEach((e) => tracker.onEvent(e));
  tracker.stopNote(); // as toa run does after the table, before it says the error
  const said = progress.lines.filter((line) => /^(retry|stopped):/.test(line));
  assert.deepEqual(said.map((line) => line.split(':')[0] + (line.includes('more retries') ? ' count' : '')), ['retry', 'retry count', 'stopped']);
  assert.match(said.at(-1)!, /its cause \(below\)/);
});

function cancelling(saving: string[]): RunEvent {
  return { type: 'run-cancelling', saving };
}
