import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rewardSchema } from '../../../src/core/config/schema';
import { createReward } from '../../../src/core/rewards/create';
import { RewardError, type RewardInput } from '../../../src/core/rewards/types';
import { sendRecorded } from '../../helpers/recorded-replies';
import { sendJson, startServer, type Handler } from '../agents/helpers';

/** vLLM's pooling endpoints as they reply, across the shapes its versions and models give. */

const input: RewardInput = { messages: [{ role: 'user', content: 'Name a color.' }], response: 'Blue.' };

function classified(probs: number[]): Record<string, unknown> {
  return {
    id: 'classify-1',
    object: 'list',
    created: 1,
    model: 'rm',
    data: [{ index: 0, label: probs.length === 1 ? 'LABEL_0' : 'LABEL_1', probs, num_classes: probs.length }],
    usage: { prompt_tokens: 20, total_tokens: 20, completion_tokens: 0, prompt_tokens_details: null },
  };
}

async function score(handler: Handler, config: Record<string, unknown>): Promise<{ reward: number | Error; bodies: unknown[] }> {
  const server = await startServer(handler);
  try {
    const model = createReward(rewardSchema.parse({ type: 'vllm', baseURL: server.url, model: 'rm', ...config }), { task: 'instruction' });
    const reward = await model.score(input, new AbortController().signal).then((s) => s.reward, (error: Error) => error);
    return { reward, bodies: server.bodies };
  } finally {
    await server.close();
  }
}

describe('vLLM /classify', () => {
  it('one-label reward model (Skywork-Reward): asks for the raw score, since bf16 sigmoids of good answers round to 1', async () => {
    const { reward, bodies } = await score((_req, res) => sendJson(res, 200, classified([12.625])), {});
    assert.equal(reward, 12.625);
    assert.equal((bodies[0] as { use_activation: unknown }).use_activation, false);
  });

  it('activation: true asks for the probabilities instead', async () => {
    const { reward, bodies } = await score((_req, res) => sendJson(res, 200, classified([0.99609375])), { activation: true });
    assert.equal(reward, 0.99609375);
    assert.equal((bodies[0] as { use_activation: unknown }).use_activation, true);
  });

  it('a model with two classes is not read at class 0 silently: the error asks for classIndex', async () => {
    const { reward } = await score((_req, res) => sendJson(res, 200, classified([0.1, 0.9])), {});
    assert.ok(reward instanceof RewardError);
    assert.equal(reward.message, 'reward vllm: the model returned 2 classes ([0.1,0.9]); set reward.classIndex to the one that means a good answer');
  });

  it("classIndex with raw scores (the default): the class's log-odds, so logits rank answers as their probabilities do", async () => {
    const a = await score((_req, res) => sendJson(res, 200, classified([10, 9])), { classIndex: 1 });
    const b = await score((_req, res) => sendJson(res, 200, classified([0, 1])), { classIndex: 1 });
    assert.ok(Math.abs((a.reward as number) - -1) < 1e-12, String(a.reward));
    assert.ok(Math.abs((b.reward as number) - 1) < 1e-12, String(b.reward));
    const three = await score((_req, res) => sendJson(res, 200, classified([0, 0, Math.log(2)])), { classIndex: 2 });
    assert.ok(Math.abs((three.reward as number) - 0) < 1e-12, 'p = 1/2 against two others: log-odds 0');
  });

  it('classIndex picks the class, and one past the classes is an error that says so', async () => {
    assert.equal((await score((_req, res) => sendJson(res, 200, classified([0.1, 0.9])), { classIndex: 1, activation: true })).reward, 0.9);
    const { reward } = await score((_req, res) => sendJson(res, 200, classified([3.5])), { classIndex: 1 });
    assert.ok(reward instanceof RewardError);
    assert.equal(reward.message, 'reward vllm: reward.classIndex is 1, but the model returned 1 class');
  });

  it('a model served without the classify task: vLLM 400 fails at once with its message', async () => {
    const { reward, bodies } = await score(
      (_req, res) => sendJson(res, 400, { object: 'error', message: 'The model does not support Classification API', type: 'BadRequestError', param: null, code: 400 }),
      {},
    );
    assert.ok(reward instanceof RewardError);
    assert.match(reward.message, /: 400 The model does not support Classification API \(POST http:\/\/127\.0\.0\.1:\d+\/classify\)$/);
    assert.equal(bodies.length, 1);
  });

  it("newer vLLM's nested error body (recorded) fails at once with its message too", async () => {
    const { reward, bodies } = await score((_req, res) => sendRecorded(res, 'vllm-classify-error-400'), {});
    assert.ok(reward instanceof RewardError);
    assert.match(reward.message, /: 400 The model does not support Classification API \(POST http:\/\/127\.0\.0\.1:\d+\/classify\)$/);
    assert.equal(bodies.length, 1);
  });
});

describe('vLLM /pooling', () => {
  it('a sequence-pooled reward model gives [score]; use_activation is not sent, as /pooling rejects it for some tasks', async () => {
    const { reward, bodies } = await score(
      (_req, res) => sendJson(res, 200, { id: 'pool-1', object: 'list', created: 1, model: 'rm', data: [{ index: 0, object: 'pooling', data: [-3.28125] }], usage: { prompt_tokens: 20, total_tokens: 20 } }),
      { endpoint: 'pooling' },
    );
    assert.equal(reward, -3.28125);
    assert.equal(Object.hasOwn(bodies[0] as object, 'use_activation'), false);
  });

  // Qwen2.5-Math-PRM under vLLM's STEP pooling: one [p_bad, p_good] row per step; its last step, "2+2 = 5", is wrong.
  const prmSteps = (_req: unknown, res: Parameters<Handler>[1]) =>
    sendJson(res, 200, { id: 'pool-2', object: 'list', created: 1, model: 'prm', data: [{ index: 0, object: 'pooling', data: [[0.0234, 0.9766], [0.9688, 0.0312]] }], usage: { prompt_tokens: 40, total_tokens: 40 } });

  it('a process reward model\'s [p_bad, p_good] rows are not read at the first value silently: the error asks for classIndex', async () => {
    const { reward } = await score(prmSteps, { endpoint: 'pooling' });
    assert.ok(reward instanceof RewardError, `scored ${String(reward)}, the wrong answer's chance of being wrong`);
    assert.equal(reward.message, 'reward vllm: the model returned 2 values per row (the last of 2 rows: [0.9688,0.0312]); set reward.classIndex to the one that means a good answer');
  });

  it("classIndex names the value of the last step's row that is the score, and one past the values says so", async () => {
    assert.equal((await score(prmSteps, { endpoint: 'pooling', classIndex: 1 })).reward, 0.0312);
    const { reward } = await score((_req, res) => sendJson(res, 200, { data: [{ index: 0, data: [-3.28125] }] }), { endpoint: 'pooling', classIndex: 1 });
    assert.ok(reward instanceof RewardError);
    assert.equal(reward.message, 'reward vllm: reward.classIndex is 1, but the model returned 1 value');
  });
});
