import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NotFoundError, BadRequestError } from 'openai';
import { DEFAULT_SIM_AGENTS, startSim, type SimServer } from '../../../src/sim';
import { clientFor, postJson } from './helpers';

describe('sim chat completions over the openai SDK', () => {
  let sim: SimServer;
  before(async () => {
    sim = await startSim({ seed: 3, latencyMs: 20 });
  });
  after(() => sim.close());

  it('answers a plain request with text, a tag, stop and word-counted usage', async () => {
    const reply = await clientFor(sim).chat.completions.create({ model: 'sim-large', messages: [{ role: 'user', content: 'Explain how tides work' }] });
    const text = reply.choices[0]!.message.content!;
    assert.equal(reply.object, 'chat.completion');
    assert.equal(reply.model, 'sim-large');
    assert.equal(reply.choices[0]!.finish_reason, 'stop');
    assert.match(text, /\[sim:[0-9a-f]{8}\]$/);
    assert.match(text, /tides/i, 'the answer echoes the prompt');
    assert.deepEqual(reply.usage, { prompt_tokens: 4, completion_tokens: text.split(/\s+/).length, total_tokens: 4 + text.split(/\s+/).length });
    assert.equal(typeof sim.trueQuality(text), 'number');
  });

  it('streams the same kind of answer in chunks, with a usage chunk when asked', async () => {
    const stream = await clientFor(sim).chat.completions.create({
      model: 'sim-medium',
      messages: [{ role: 'user', content: 'Explain how tides work' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let chunks = 0;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(chunks > 4, `streamed in ${chunks} chunks`);
    assert.equal(finish, 'stop');
    assert.match(text, /\[sim:[0-9a-f]{8}\]$/);
    assert.equal(usage?.completion_tokens, text.split(/\s+/).length);
    assert.equal(typeof sim.trueQuality(text), 'number');
  });

  it('omits the usage chunk when not asked for', async () => {
    const stream = await clientFor(sim).chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: 'hi there' }], stream: true });
    for await (const chunk of stream) assert.equal(chunk.usage, undefined);
  });

  it('spreads the latency over a stream rather than front-loading it', async () => {
    const slow = await startSim({ seed: 1, latencyMs: 300 });
    try {
      const started = Date.now();
      const stream = await clientFor(slow).chat.completions.create({ model: 'sim-large', messages: [{ role: 'user', content: 'Explain tides' }], stream: true });
      let first = 0;
      for await (const chunk of stream) if (!first && chunk.choices[0]?.delta.content) first = Date.now() - started;
      const total = Date.now() - started;
      assert.ok(total >= 280, `total ${total}ms`);
      assert.ok(first < total / 2, `first content after ${first}ms of ${total}ms`);
    } finally {
      await slow.close();
    }
  });

  it('lists its models', async () => {
    const list = await clientFor(sim).models.list();
    assert.deepEqual(
      list.data.map((m) => m.id),
      DEFAULT_SIM_AGENTS.map((a) => a.model),
    );
    assert.deepEqual(sim.models, list.data.map((m) => m.id));
  });

  it('answers an unknown model with a 404 and an OpenAI error body', async () => {
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.match(err.message, /gpt-nope/);
      assert.equal((err.error as { code?: string }).code, 'model_not_found');
      return true;
    });
  });

  it('refuses a request without messages with a 400 naming the field', async () => {
    await assert.rejects(clientFor(sim).chat.completions.create({ model: 'sim-large', messages: [] }), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.match(err.message, /messages/);
      return true;
    });
    const { status, json } = await postJson(`${sim.url}/v1/chat/completions`, 'not an object');
    assert.equal(status, 400);
    assert.ok((json as { error: { message: string } }).error.message);
  });

  it('reads content given as text parts', async () => {
    const reply = await clientFor(sim).chat.completions.create({
      model: 'sim-large',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe glaciers' }] }],
    });
    assert.match(reply.choices[0]!.message.content!, /glaciers/i);
  });

  it('answers unknown routes with a 404 error body', async () => {
    const res = await fetch(`${sim.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.ok(((await res.json()) as { error: { message: string } }).error.message);
  });
});
