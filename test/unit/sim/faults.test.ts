import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InternalServerError, RateLimitError } from 'openai';
import { NO_FAULTS, startSim, type SimServer } from '../../../src/sim';
import { clientFor, postJson } from './helpers';

const messages = [{ role: 'user' as const, content: 'Explain how bridges carry loads' }];

/** Reads a stream to its end or its error, keeping what arrived. */
async function drain(sim: SimServer): Promise<{ text: string; finish: string | null; error?: unknown }> {
  let text = '';
  let finish: string | null = null;
  try {
    const stream = await clientFor(sim).chat.completions.create({ model: 'sim-large', messages, stream: true });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish };
  } catch (error) {
    return { text, finish, error };
  }
}

describe('sim fault injection', () => {
  let sim: SimServer;
  beforeEach(async () => {
    sim = await startSim({ seed: 21 });
  });
  afterEach(() => sim.close());

  it('429 carries Retry-After and an OpenAI error', async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 7 });
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-large', messages }), (err: unknown) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.headers?.get('retry-after'), '7');
      assert.equal((err.error as { code?: string }).code, 'rate_limit_exceeded');
      return true;
    });
    assert.equal(sim.counters().faults['429'], 1);
  });

  it('the SDK honours Retry-After and succeeds once the fault clears', async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 0.2 });
    // Clear the fault once the first 429 went out (a fixed timer raced a slow first request).
    const clear = setInterval(() => sim.counters().faults['429'] && (sim.setFaults({ rate429: 0 }), clearInterval(clear)), 5);
    const client = clientFor(sim).withOptions({ maxRetries: 1 });
    const started = Date.now();
    const reply = await client.chat.completions.create({ model: 'sim-large', messages }).finally(() => clearInterval(clear));
    assert.ok(Date.now() - started >= 180, 'waited for Retry-After');
    assert.match(reply.choices[0]!.message.content!, /\[sim:/);
    assert.equal(sim.counters().chatRequests, 2);
  });

  it('500 arrives as an InternalServerError', async () => {
    sim.setFaults({ rate500: 1 });
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-large', messages }), InternalServerError);
    assert.equal(sim.counters().faults['500'], 1);
  });

  it('a malformed body makes a plain call fail, and a stream throw', async () => {
    sim.setFaults({ rateMalformed: 1 });
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-large', messages }), SyntaxError);
    const streamed = await drain(sim);
    assert.ok(streamed.error instanceof SyntaxError, `stream ended with ${String(streamed.error)}`);
    assert.equal(sim.counters().faults.malformed, 2);
  });

  it('a cut stream delivers part of the answer, then throws or ends without a finish reason', async () => {
    sim.setFaults({ rateCut: 1 });
    const streamed = await drain(sim);
    assert.ok(streamed.text.length > 0, 'some content arrived before the cut');
    assert.doesNotMatch(streamed.text, /\[sim:/, 'the answer is incomplete');
    assert.equal(streamed.finish, null);
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-large', messages }));
    const counters = sim.counters();
    assert.equal(counters.faults.cut, 2);
    assert.equal(counters.aborted, 0, 'a cut is a fault, not a client abort');
  });

  it('a slow reply waits slowMs more', async () => {
    sim.setFaults({ rateSlow: 1, slowMs: 150 });
    const started = Date.now();
    await clientFor(sim).chat.completions.create({ model: 'sim-large', messages });
    assert.ok(Date.now() - started >= 140);
    assert.equal(sim.counters().faults.slow, 1);
  });

  it('draws faults at their rates, deterministically per seed', async () => {
    sim.setFaults({ rate500: 0.3 });
    const client = clientFor(sim);
    const outcomes = async (): Promise<boolean[]> =>
      Promise.all(Array.from({ length: 100 }, (_, i) => client.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: `q${i}` }] }).then(() => true, () => false)));
    const first = await outcomes();
    const failed = first.filter((ok) => !ok).length;
    assert.ok(failed >= 15 && failed <= 45, `${failed} of 100 failed`);
    const again = await startSim({ seed: 21, faults: { rate500: 0.3 } });
    try {
      const c2 = clientFor(again);
      const second = await Promise.all(first.map((_, i) => c2.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: `q${i}` }] }).then(() => true, () => false)));
      assert.deepEqual(second, first);
    } finally {
      await again.close();
    }
  });

  it('POST /sim/faults changes faults at run time and validates them', async () => {
    const set = await postJson(`${sim.url}/sim/faults`, { rate500: 1 });
    assert.deepEqual(set, { status: 200, json: { ...NO_FAULTS, rate500: 1 } });
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-large', messages }), InternalServerError);
    const bad = await postJson(`${sim.url}/sim/faults`, { rate500: 2 });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { error: { message: string } }).error.message, /rate500/);
    assert.equal((await postJson(`${sim.url}/sim/faults`, { rateTypo: 0 })).status, 400);
    assert.deepEqual(await (await fetch(`${sim.url}/sim/faults`)).json(), { ...NO_FAULTS, rate500: 1 });
    assert.throws(() => sim.setFaults({ slowMs: -1 }), /slowMs/);
  });

  it('leaves reward calls alone unless rewardFaults is set', async () => {
    sim.setFaults({ rate500: 1 });
    const body = { model: sim.rewardModel, input: 'text' };
    assert.equal((await postJson(`${sim.url}/classify`, body)).status, 200);
    const faulty = await startSim({ seed: 1, rewardFaults: true, faults: { rate500: 1 } });
    try {
      assert.equal((await postJson(`${faulty.url}/classify`, body)).status, 500);
      faulty.setFaults({ rate500: 0, rateMalformed: 1 });
      const res = await fetch(`${faulty.url}/pooling`, { method: 'POST', body: JSON.stringify(body) });
      assert.equal(res.status, 200);
      await assert.rejects(res.json(), SyntaxError);
      assert.deepEqual(faulty.counters().faults, { '429': 0, '500': 1, slow: 0, cut: 0, malformed: 1 });
    } finally {
      await faulty.close();
    }
  });

  it('faults given at start apply from the first request', async () => {
    const faulty = await startSim({ seed: 1, faults: { rate429: 1 } });
    try {
      await assert.rejects(clientFor(faulty).chat.completions.create({ model: 'sim-large', messages }), RateLimitError);
    } finally {
      await faulty.close();
    }
    await assert.rejects(startSim({ faults: { rateCut: 1.5 } }), /rateCut/);
  });
});
