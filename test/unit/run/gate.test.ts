import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PriorityGate } from '../../../src/core/run/gate';

const never = new AbortController().signal;

describe('PriorityGate', () => {
  it('admits up to its capacity, then serves waiters by priority, FIFO within one', async () => {
    const gate = new PriorityGate(2);
    const order: string[] = [];
    await gate.acquire(5, never);
    await gate.acquire(5, never);
    const waiting = [
      gate.acquire(3, never).then(() => order.push('3a')),
      gate.acquire(1, never).then(() => order.push('1')),
      gate.acquire(3, never).then(() => order.push('3b')),
      gate.acquire(0, never).then(() => order.push('0')),
    ];
    assert.equal(gate.active, 2);
    for (let i = 0; i < 4; i++) {
      gate.release();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(gate.active, 2, 'a released slot goes straight to the next waiter');
    }
    await Promise.all(waiting);
    assert.deepEqual(order, ['0', '1', '3a', '3b']);
    gate.release();
    gate.release();
    assert.equal(gate.active, 0);
  });

  it('drops an aborted waiter from the queue and rejects with the reason', async () => {
    const gate = new PriorityGate(1);
    await gate.acquire(0, never);
    const controller = new AbortController();
    const cut = gate.acquire(0, controller.signal);
    const next = gate.acquire(1, never);
    controller.abort(new Error('stop'));
    await assert.rejects(cut, /stop/);
    gate.release();
    await next;
    assert.equal(gate.active, 1);
    assert.throws(() => gate.acquire(0, controller.signal), /stop/);
  });

  it('refuses a capacity below 1', () => {
    assert.throws(() => new PriorityGate(0), /run\.concurrency must be >= 1/);
  });
});
