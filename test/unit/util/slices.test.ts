import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inSlices } from '../../../src/core/util/slices';

/** A clock that moves 1 ms each time it is read: slices of `sliceMs` then hold a known number of steps. */
function tickingClock(): { now(): number } {
  let t = 0;
  return { now: () => t++ };
}

describe('inSlices', () => {
  it('runs every step in order, pausing once a slice has run its time, and says how far it got at each pause', async () => {
    const steps: string[] = [];
    await inSlices(7, (i) => steps.push(`step ${i}`), {
      clock: tickingClock(),
      sliceMs: 2,
      pause: async () => void steps.push('pause'),
      onProgress: (done, total) => steps.push(`${done}/${total}`),
    });
    // The clock is read once as a slice starts and once after each step: a 2 ms slice is 2 steps.
    assert.deepEqual(steps, ['step 0', 'step 1', '2/7', 'pause', 'step 2', 'step 3', '4/7', 'pause', 'step 4', 'step 5', '6/7', 'pause', 'step 6']);
  });

  it('gives the event loop its turn between slices by default', async () => {
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const seen: boolean[] = [];
    // Each step busy-waits 2 ms of its own (not up to a time from the start, which a loaded machine
    // may have passed already, making every step instant): 40 ms in all, so slices of 10 ms pause.
    await inSlices(20, () => {
      seen.push(timerRan);
      const stepStart = Date.now();
      while (Date.now() - stepStart < 2);
    });
    assert.equal(seen[0], false);
    assert.equal(seen.at(-1), true, 'a timer due meanwhile ran before the loop ended');
  });

  it('a cancel ends the work at the next pause, rejecting with the reason; an aborted signal before the start runs nothing', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    const done: number[] = [];
    const work = inSlices(100, (i) => done.push(i), { clock: tickingClock(), sliceMs: 10, signal: controller.signal, pause: async () => controller.abort(reason) });
    await assert.rejects(work, (error) => error === reason);
    assert.equal(done.length, 10, 'the slice that was running finished; no step after the cancel');

    const none: number[] = [];
    await assert.rejects(inSlices(5, (i) => none.push(i), { signal: controller.signal }), (error) => error === reason);
    assert.deepEqual(none, []);
  });
});
