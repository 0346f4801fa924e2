import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from '../../../src/core/util/semaphore';

const never = new AbortController().signal;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `name` on the semaphore, holding its slot until `release()`; `order` records who got one when. */
function holder(semaphore: Semaphore, order: string[], name: string, signal?: AbortSignal, priority?: number): { release(): void; done: Promise<void> } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const done = semaphore.run(async () => {
    order.push(name);
    await held;
  }, signal, priority);
  return { release, done };
}

describe('Semaphore', () => {
  it('admits up to its capacity, then serves waiters by priority, FIFO within one', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const first = [holder(semaphore, order, 'a', never, 5), holder(semaphore, order, 'b', never, 5)];
    const waiting = [
      holder(semaphore, order, '3a', never, 3),
      holder(semaphore, order, '1', never, 1),
      holder(semaphore, order, '3b', never, 3),
      holder(semaphore, order, '0', never, 0),
    ];
    assert.equal(semaphore.active, 2);
    for (const h of [...first, ...waiting.slice(0, 2)]) {
      h.release();
      await turn();
      assert.equal(semaphore.active, 2, 'a released slot goes straight to the next waiter');
    }
    waiting.forEach((h) => h.release());
    await Promise.all(waiting.map((h) => h.done));
    assert.deepEqual(order, ['a', 'b', '0', '1', '3a', '3b']);
    assert.equal(semaphore.active, 0);
  });

  it('serves waiters in arrival order without priorities', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const all = ['a', 'b', 'c', 'd'].map((name) => holder(semaphore, order, name));
    for (const h of all) {
      h.release();
      await turn();
    }
    await Promise.all(all.map((h) => h.done));
    assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  });

  it('starts the work at once when a slot is free (no await first)', () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    holder(semaphore, order, 'now').release();
    assert.deepEqual(order, ['now']);
  });

  it('frees the slot when the work fails, and rejects with its error', async () => {
    const semaphore = new Semaphore(1);
    await assert.rejects(semaphore.run(() => Promise.reject(new Error('broke'))), /broke/);
    assert.equal(semaphore.active, 0);
  });

  it('drops an aborted waiter from the queue and rejects with the reason, without running it', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const held = holder(semaphore, order, 'held');
    const controller = new AbortController();
    const cut = holder(semaphore, order, 'cut', controller.signal, 0);
    const next = holder(semaphore, order, 'next', never, 1);
    controller.abort(new Error('stop'));
    await assert.rejects(cut.done, /stop/);
    held.release();
    await turn();
    assert.deepEqual(order, ['held', 'next']);
    assert.equal(semaphore.active, 1);
    next.release();
    await next.done;
    await assert.rejects(holder(semaphore, order, 'late', controller.signal).done, /stop/, 'an aborted signal gets no slot, free or not');
    assert.deepEqual([order, semaphore.active], [['held', 'next'], 0]);
  });

  it('refuses a capacity below 1, naming it', () => {
    assert.throws(() => new Semaphore(0, 'run.concurrency'), /run\.concurrency must be >= 1, got 0/);
    assert.throws(() => new Semaphore(0.5), /Semaphore capacity must be >= 1/);
  });
});
