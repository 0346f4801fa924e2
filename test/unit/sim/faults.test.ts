import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuthenticationError, InternalServerError, RateLimitError, APIError } from 'openai';
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
      assert.deepEqual(faulty.counters().faults, { '429': 0, '500': 1, slow: 0, cut: 0, malformed: 1, '401': 0, '402': 0 });
    } finally {
      await faulty.close();
    }
  });

  it("revokes a model's key after its Nth call: 401 from then on, that model only", async () => {
    const keyed = await startSim({ seed: 1, faults: { revokeKeyAfter: { 'sim-small': 2 } } });
    try {
      const client = clientFor(keyed);
      const ask = (model: string, i: number): Promise<unknown> => client.chat.completions.create({ model, messages: [{ role: 'user', content: `q${i}` }] });
      await ask('sim-small', 0);
      await ask('sim-small', 1);
      for (const i of [2, 3]) {
        await assert.rejects(ask('sim-small', i), (err: unknown) => {
          assert.ok(err instanceof AuthenticationError);
          assert.equal((err.error as { code?: string }).code, 'invalid_api_key');
          assert.match(err.message, /^401 Incorrect API key provided \(simulated: the key for sim-small was revoked after 2 calls\)/);
          return true;
        });
      }
      await ask('sim-large', 4);
      assert.equal(keyed.counters().faults['401'], 2);
    } finally {
      await keyed.close();
    }
  });

  it('runs out of credit after N calls with 402, for a streamed call and the reward model alike', async () => {
    const keyed = await startSim({ seed: 1, faults: { outOfCreditAfter: { 'sim-large': 1, 'sim-reward': 0 } } });
    try {
      await clientFor(keyed).chat.completions.create({ model: 'sim-large', messages });
      await assert.rejects(clientFor(keyed).chat.completions.create({ model: 'sim-large', messages, stream: true }), (err: unknown) => {
        assert.ok(err instanceof APIError);
        assert.equal(err.status, 402);
        assert.match(err.message, /Insufficient credits \(simulated: the account behind the key for sim-large ran out after 1 call\)/);
        return true;
      });
      assert.equal((await postJson(`${keyed.url}/classify`, { model: keyed.rewardModel, input: 'text' })).status, 402);
      assert.equal(keyed.counters().faults['402'], 2);
    } finally {
      await keyed.close();
    }
  });

  it('key limits are set at run time too, and refuse unknown models and bad counts', async () => {
    await clientFor(sim).chat.completions.create({ model: 'sim-wild', messages });
    const set = await postJson(`${sim.url}/sim/faults`, { revokeKeyAfter: { 'sim-wild': 1 } });
    assert.equal(set.status, 200);
    assert.deepEqual((set.json as { revokeKeyAfter: unknown }).revokeKeyAfter, { 'sim-wild': 1 });
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-wild', messages }), AuthenticationError);
    const unknown = await postJson(`${sim.url}/sim/faults`, { outOfCreditAfter: { 'sim-wilde': 1 } });
    assert.equal(unknown.status, 400);
    assert.match((unknown.json as { error: { message: string } }).error.message, /^faults\.outOfCreditAfter\.sim-wilde: no such model \(models: sim-large, .*sim-reward\)$/);
    assert.throws(() => sim.setFaults({ revokeKeyAfter: { 'sim-wild': 1.5 } }), /faults\.revokeKeyAfter\.sim-wild must be a whole number of calls >= 0/);
    const notObject = await postJson(`${sim.url}/sim/faults`, { revokeKeyAfter: 3 });
    assert.match((notObject.json as { error: { message: string } }).error.message, /^faults\.revokeKeyAfter must be an object of model names to numbers of calls$/);
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
