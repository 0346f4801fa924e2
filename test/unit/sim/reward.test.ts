import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSim, type SimServer } from '../../../src/sim';
import { PROMPTS, ask, clientFor, postJson, spearman } from './helpers';

interface ClassifyReply {
  id: string;
  object: string;
  model: string;
  data: Array<{ index: number; label: string; probs: number[]; num_classes: number }>;
  usage: { prompt_tokens: number; total_tokens: number };
}

interface PoolingReply {
  id: string;
  object: string;
  data: Array<{ index: number; object: string; data: number[] }>;
  usage: { prompt_tokens: number; total_tokens: number };
}

describe('sim reward endpoints (vLLM /classify and /pooling)', () => {
  let sim: SimServer;
  before(async () => {
    sim = await startSim({ seed: 11, rewardScale: 4, rewardNoise: 0.08 });
  });
  after(() => sim.close());

  const chatForm = (prompt: string, response: string): object => ({
    model: sim.rewardModel,
    messages: [
      { role: 'user', content: prompt },
      { role: 'assistant', content: response },
    ],
  });

  it('classify answers in vLLM shape, the score in probs[0]', async () => {
    const response = await ask(clientFor(sim), 'sim-large', PROMPTS[0]!);
    const { status, json } = await postJson(`${sim.url}/classify`, chatForm(PROMPTS[0]!, response));
    const reply = json as ClassifyReply;
    assert.equal(status, 200);
    assert.match(reply.id, /^classify-/);
    assert.equal(reply.object, 'list');
    assert.equal(reply.model, 'sim-reward');
    assert.equal(reply.data.length, 1);
    assert.deepEqual({ ...reply.data[0]!, probs: undefined }, { index: 0, label: 'LABEL_0', probs: undefined, num_classes: 1 });
    const score = reply.data[0]!.probs[0]!;
    assert.ok(Math.abs(score / 4 - sim.trueQuality(response)!) < 0.4, `score ${score} for quality ${sim.trueQuality(response)}`);
    assert.ok(reply.usage.prompt_tokens > 0 && reply.usage.total_tokens === reply.usage.prompt_tokens);
  });

  it('pooling answers in vLLM shape with the same score, and takes a plain input too', async () => {
    const response = await ask(clientFor(sim), 'sim-medium', PROMPTS[1]!);
    const classify = (await postJson(`${sim.url}/classify`, chatForm(PROMPTS[1]!, response))).json as ClassifyReply;
    const pooling = (await postJson(`${sim.url}/pooling`, chatForm(PROMPTS[1]!, response))).json as PoolingReply;
    assert.match(pooling.id, /^pool-/);
    assert.equal(pooling.object, 'list');
    assert.deepEqual(pooling.data, [{ index: 0, object: 'pooling', data: [classify.data[0]!.probs[0]] }]);
    const plain = (await postJson(`${sim.url}/pooling`, { model: sim.rewardModel, input: response })).json as PoolingReply;
    assert.equal(typeof plain.data[0]!.data[0], 'number');
  });

  it('scores a batch of inputs, one entry each, in order', async () => {
    const client = clientFor(sim);
    const texts = await Promise.all(PROMPTS.slice(0, 3).map((p) => ask(client, 'sim-small', p)));
    const batch = (await postJson(`${sim.url}/classify`, { model: sim.rewardModel, input: texts })).json as ClassifyReply;
    const single = await Promise.all(texts.map(async (t) => ((await postJson(`${sim.url}/classify`, { model: sim.rewardModel, input: t })).json as ClassifyReply).data[0]!.probs[0]));
    assert.deepEqual(batch.data.map((d) => d.index), [0, 1, 2]);
    assert.deepEqual(batch.data.map((d) => d.probs[0]), single);
  });

  it('gives the same score to the same thing scored twice', async () => {
    const response = await ask(clientFor(sim), 'sim-wild', PROMPTS[2]!);
    const score = async (): Promise<number> => ((await postJson(`${sim.url}/classify`, chatForm(PROMPTS[2]!, response))).json as ClassifyReply).data[0]!.probs[0]!;
    assert.equal(await score(), await score());
  });

  it('is a noisy signal of the hidden quality (Spearman > 0.5)', async () => {
    const client = clientFor(sim);
    const pairs = await Promise.all(
      PROMPTS.flatMap((p) =>
        sim.models.map(async (model) => {
          const response = await ask(client, model, p);
          const reply = (await postJson(`${sim.url}/classify`, chatForm(p, response))).json as ClassifyReply;
          return [sim.trueQuality(response)!, reply.data[0]!.probs[0]!] as const;
        }),
      ),
    );
    const rho = spearman(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
    assert.ok(rho > 0.5 && rho < 0.999, `Spearman ${rho.toFixed(3)} over ${pairs.length}`);
  });

  it('scores text it did not write low but without failing', async () => {
    const reply = (await postJson(`${sim.url}/classify`, chatForm('Say hi', 'hi, written by a person'))).json as ClassifyReply;
    assert.ok(reply.data[0]!.probs[0]! < 4 * 0.7);
  });

  it('answers an unknown reward model with 404 and a malformed request with 400', async () => {
    const wrong = await postJson(`${sim.url}/classify`, { model: 'other-rm', input: 'x' });
    assert.equal(wrong.status, 404);
    assert.match((wrong.json as { error: { message: string } }).error.message, /other-rm/);
    const bad = await postJson(`${sim.url}/pooling`, { model: sim.rewardModel });
    assert.equal(bad.status, 400);
  });

  it('waits rewardLatencyMs per call', async () => {
    const slow = await startSim({ seed: 1, rewardLatencyMs: 120 });
    try {
      const started = Date.now();
      await postJson(`${slow.url}/classify`, { model: slow.rewardModel, input: 'x' });
      assert.ok(Date.now() - started >= 110);
    } finally {
      await slow.close();
    }
  });
});
