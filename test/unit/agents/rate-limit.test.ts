import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../../src/core/agents/rate-limit';
import { FakeClock, waitFor } from './helpers';

/** Starts `n` acquisitions and records the fake time at which each was granted. */
function acquireAll(limiter: RateLimiter, clock: FakeClock, n: number, signal?: AbortSignal): { granted: number[]; done: Promise<void>[] } {
  const granted: number[] = [];
  const t0 = clock.now();
  const done = Array.from({ length: n }, () => limiter.acquire(signal).then(() => void granted.push(clock.now() - t0)));
  return { granted, done };
}

describe('RateLimiter', () => {
  it('allows `limit` starts at once, then one more each time the oldest leaves the window', async () => {
    const clock = new FakeClock(false);
    const limiter = new RateLimiter(2, clock);
    const { granted, done } = acquireAll(limiter, clock, 4);
    await waitFor(() => granted.length === 2 && clock.pending === 1);
    clock.advance(59_999);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(granted.length, 2);
    clock.advance(1);
    await waitFor(() => granted.length === 4);
    await Promise.all(done);
    assert.deepEqual(granted, [0, 0, 60_000, 60_000]);
  });

  // The clock moves only when the test says so: an automatic one jumps inside the next caller's
  // sleep, which may run before an earlier caller has read the time it was granted at.
  it('spaces starts evenly under a rolling window', async () => {
    const clock = new FakeClock(false);
    const limiter = new RateLimiter(1, clock);
    const { granted, done } = acquireAll(limiter, clock, 3);
    for (const count of [1, 2]) {
      await waitFor(() => granted.length === count && clock.pending === 1);
      clock.advance(60_000);
    }
    await Promise.all(done);
    assert.deepEqual([granted, clock.sleeps], [[0, 60_000, 120_000], [60_000, 60_000]]);
  });

  it('honours a fractional rate by widening the window', async () => {
    const clock = new FakeClock(false);
    const limiter = new RateLimiter(0.5, clock);
    const { granted, done } = acquireAll(limiter, clock, 2);
    await waitFor(() => granted.length === 1 && clock.pending === 1);
    clock.advance(120_000);
    await Promise.all(done);
    assert.deepEqual([granted, clock.sleeps], [[0, 120_000], [120_000]]);
  });

  it('rejects a waiting caller with the abort reason and lets the next one through', async () => {
    const clock = new FakeClock(false);
    const limiter = new RateLimiter(1, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    await waitFor(() => clock.pending === 1);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    const next = limiter.acquire();
    await waitFor(() => clock.pending === 1);
    clock.advance(60_000);
    await next;
  });

  it('rejects a non-positive rate', () => {
    assert.throws(() => new RateLimiter(0, new FakeClock()), /must be > 0/);
  });
});
