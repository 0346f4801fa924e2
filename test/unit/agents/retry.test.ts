import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF, FaultError, retryAfterMs, withRetries, type Fault } from '../../../src/core/agents/retry';
import { seededRandom } from '../../../src/core/util/random';
import { FakeClock } from './helpers';

const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '250' }), now), 250);
    assert.equal(retryAfterMs(headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(retryAfterMs(headers({ 'retry-after': '1.5' }), now), 1500);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now), 7000);
  });
  it('ignores what it cannot read, and clamps past dates to zero', () => {
    assert.equal(retryAfterMs(headers({}), now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': 'x', 'retry-after': '2' }), now), 2000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now), 0);
  });
});

describe('backoffDelay', () => {
  it('doubles per retry within [step/2, step], up to the cap', () => {
    const random = seededRandom(1);
    for (let retry = 1; retry <= 10; retry++) {
      const step = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** (retry - 1));
      const delay = backoffDelay(retry, DEFAULT_BACKOFF, random);
      assert.ok(delay >= step / 2 && delay <= step, `retry ${retry}: ${delay} outside [${step / 2}, ${step}]`);
    }
  });
  it('is deterministic for a seed', () => {
    const a = [1, 2, 3].map((r) => backoffDelay(r, DEFAULT_BACKOFF, seededRandom(7)));
    const b = [1, 2, 3].map((r) => backoffDelay(r, DEFAULT_BACKOFF, seededRandom(7)));
    assert.deepEqual(a, b);
  });
});

describe('withRetries', () => {
  const base = (clock: FakeClock, signal = new AbortController().signal) => ({
    maxRetries: 2,
    clock,
    random: seededRandom(0),
    signal,
    classify: (error: unknown): Fault => (error instanceof FaultError ? error.fault : { retryable: false, reason: String(error) }),
    fail: (fault: Fault, attempts: number) => new Error(`${fault.reason} x${attempts}`),
  });

  it('returns the value and the attempts it took', async () => {
    let n = 0;
    const out = await withRetries(async () => {
      if (++n < 3) throw new FaultError({ retryable: true, reason: 'flaky' });
      return 'ok';
    }, base(new FakeClock()));
    assert.deepEqual(out, { value: 'ok', attempts: 3 });
  });

  it('stops at once on a final fault, and after maxRetries on retryable ones', async () => {
    const clock = new FakeClock();
    await assert.rejects(withRetries(() => Promise.reject(new FaultError({ retryable: false, reason: 'bad' })), base(clock)), /^Error: bad x1$/);
    assert.deepEqual(clock.sleeps, []);
    await assert.rejects(withRetries(() => Promise.reject(new FaultError({ retryable: true, reason: 'again' })), base(clock)), /^Error: again x3$/);
    assert.equal(clock.sleeps.length, 2);
  });

  it('caps a server-requested wait', async () => {
    const clock = new FakeClock();
    let n = 0;
    await withRetries(async () => {
      if (++n === 1) throw new FaultError({ retryable: true, reason: 'later', retryAfterMs: 10 * 3600_000 });
    }, base(clock));
    assert.deepEqual(clock.sleeps, [DEFAULT_BACKOFF.maxRetryAfterMs]);
  });

  it('rethrows the abort reason rather than classifying it', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    await assert.rejects(
      withRetries(async () => {
        controller.abort(reason);
        throw new FaultError({ retryable: true, reason: 'x' });
      }, base(new FakeClock(), controller.signal)),
      (error) => error === reason,
    );
  });
});
