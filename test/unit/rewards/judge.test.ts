import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/core/chat';
import { rewardSchema, type RewardConfig } from '../../../src/core/config/schema';
import { createReward as createCoreReward, type RewardDeps } from '../../../src/core/rewards/create';
import { TRANSPORTS, type Transport } from '../http/transports';
import { RewardError } from '../../../src/core/rewards/types';
import { retrySubject, type RetryNotice } from '../../../src/core/agents/types';
import { completionBody, FakeClock, sendJson, startServer } from '../agents/helpers';

const messages: ChatMessage[] = [{ role: 'user', content: 'Explain {{response}} placeholders in one line.' }];
const input = { messages, response: 'They are filled in; $& and {{prompt}} stay literal.' };
const live = (): AbortSignal => new AbortController().signal;
const judge = (url: string, extra: Record<string, unknown> = {}): RewardConfig =>
  rewardSchema.parse({ type: 'judge', baseURL: `${url}/v1`, model: 'judge-m', ...extra });
const rubricOf = (body: unknown): string => (body as { messages: ChatMessage[] }).messages[0]!.content;

function suite(transport: Transport): void {
  const createReward = (config: RewardConfig, deps: RewardDeps) => createCoreReward(config, { fetch: transport.fetch, ...deps });

  describe(`${transport.label}: judge reward`, () => {
    it('sends the default rubric with prompt, response and scale filled in verbatim, and reads the score', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('Accurate and concise.\nScore: 8/10')));
      try {
        const model = createReward(judge(server.url, { apiKeyEnv: 'JUDGE_KEY' }), { task: 'instruction', apiKey: (n) => (n === 'JUDGE_KEY' ? 'jk' : undefined) });
        assert.deepEqual(await model.score(input, live()), { reward: 8, attempts: 1 });
        const body = server.bodies[0] as { model: string; temperature: number; stream: boolean; max_tokens: number };
        assert.deepEqual([body.model, body.temperature, body.stream, body.max_tokens], ['judge-m', 0, false, 1024]);
        const rubric = rubricOf(server.bodies[0]);
        assert.ok(rubric.includes(messages[0]!.content));
        assert.ok(rubric.includes(input.response));
        assert.match(rubric, /from 1 \(.*\) to 10 \(/);
        assert.equal(server.headers[0]!.authorization, 'Bearer jk');
      } finally {
        await server.close();
      }
    });

    it("reports its retries as the reward's, not as an agent's", async () => {
      const server = await startServer((_req, res, _body, n) => (n === 1 ? sendJson(res, 503, { error: { message: 'busy' } }) : sendJson(res, 200, completionBody('Score: 7'))));
      try {
        const notices: RetryNotice[] = [];
        const model = createReward(judge(server.url), { task: 'instruction', clock: new FakeClock(), onRetry: (n) => notices.push(n) });
        assert.equal((await model.score(input, live())).reward, 7);
        assert.deepEqual(notices.map((n) => [retrySubject(n), n.reward]), [['reward judge', true]]);
      } finally {
        await server.close();
      }
    });

    it('clamps to [min, max]', async () => {
      const server = await startServer((_req, res, _body, n) => sendJson(res, 200, completionBody(n === 1 ? '**12**' : 'Score: -3')));
      try {
        const model = createReward(judge(server.url, { min: 0, max: 5 }), { task: 'math' });
        assert.equal((await model.score(input, live())).reward, 5);
        assert.equal((await model.score(input, live())).reward, 0);
        assert.match(rubricOf(server.bodies[0]), /from 0 \(.*\) to 5 \(/);
      } finally {
        await server.close();
      }
    });

    it('quotes the start of a reply that holds no score', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('I cannot judge this answer without more context.')));
      try {
        const model = createReward(judge(server.url), { task: 'instruction' });
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.ok(error instanceof RewardError);
          assert.equal(error.message, `reward judge: no score found in the judge's reply "I cannot judge this answer without more context."`);
          return true;
        });
      } finally {
        await server.close();
      }
    });

    it("a reply with half of a surrogate pair is read as an agent's is: U+FFFD in its place, in the score's reply and the quote", async () => {
      const server = await startServer((_req, res, _body, n) => sendJson(res, 200, completionBody(n === 1 ? 'Good \ud83d.\nScore: 7' : 'No score \ud83d here.')));
      try {
        const model = createReward(judge(server.url), { task: 'instruction' });
        assert.equal((await model.score(input, live())).reward, 7);
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.ok(error instanceof RewardError);
          assert.equal(error.message, `reward judge: no score found in the judge's reply "No score \uFFFD here."`);
          return true;
        });
      } finally {
        await server.close();
      }
    });

    it('retries through the agent machinery and reports final errors as RewardError', async () => {
      const server = await startServer((_req, res, _body, n) =>
        n === 1 ? sendJson(res, 502, { error: { message: 'bad gateway' } }) : sendJson(res, 401, { error: { message: 'Invalid key' } }),
      );
      try {
        const clock = new FakeClock();
        const model = createReward(judge(server.url), { task: 'instruction', clock });
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.ok(error instanceof RewardError);
          assert.match(String(error), /^RewardError: reward judge: 401 Invalid key$/m);
          assert.deepEqual([error.attempts, error.unreachable], [2, undefined]);
          return true;
        });
        assert.equal(server.count, 2);
        assert.equal(clock.sleeps.length, 1);
      } finally {
        await server.close();
      }
    });

    it('says when the judge endpoint cannot be reached at all, so a run can stop at once', async () => {
      const server = await startServer(() => undefined);
      await server.close();
      const model = createReward(judge(server.url), { task: 'instruction', clock: new FakeClock() });
      await assert.rejects(model.score(input, live()), (error: unknown) => {
        assert.ok(error instanceof RewardError);
        assert.match(error.message, /^reward judge: gave up after 6 attempts: connection failed: .*ECONNREFUSED/);
        assert.deepEqual([error.attempts, error.unreachable], [6, 'refused']);
        return true;
      });
    });

    it('a reasoning judge that runs out of reward.max_tokens says so at once, and a larger max_tokens is sent', async () => {
      const cut = { id: 'c', object: 'chat.completion', created: 1, model: 'judge-m', choices: [{ index: 0, message: { role: 'assistant', content: null, reasoning: 'Weighing it' }, finish_reason: 'length' }] };
      const server = await startServer((_req, res) => sendJson(res, 200, cut));
      try {
        const model = createReward(judge(server.url, { max_tokens: 4096 }), { task: 'instruction', clock: new FakeClock() });
        const error = await model.score(input, live()).catch((e: Error) => e);
        assert.ok(error instanceof RewardError);
        assert.equal(error.message, 'reward judge: no answer: the reply reached max_tokens (4096) while the model was still reasoning; raise its max_tokens');
        assert.equal(server.bodies.length, 1);
        assert.equal((server.bodies[0] as { max_tokens: number }).max_tokens, 4096);
      } finally {
        await server.close();
      }
    });

    it('a reply cut off at reward.max_tokens is not scored by a number in its critique: it says to raise the limit', async () => {
      const critique = 'I will weigh: 1) correctness, 2) helpfulness.\n\nCorrectness: fine, though 2/10 of the steps';
      const cut = { id: 'c', object: 'chat.completion', created: 1, model: 'judge-m', choices: [{ index: 0, message: { role: 'assistant', content: critique }, finish_reason: 'length' }] };
      const server = await startServer((_req, res) => sendJson(res, 200, cut));
      try {
        const model = createReward(judge(server.url, { max_tokens: 64 }), { task: 'instruction', clock: new FakeClock() });
        const error = await model.score(input, live()).catch((e: Error) => e);
        assert.ok(error instanceof RewardError, String(error));
        assert.match(error.message, /^reward judge: the judge's reply reached reward\.max_tokens \(64\) before it gave its verdict; raise reward\.max_tokens \(the reply: "I will weigh/);
        assert.equal(server.bodies.length, 1, 'not retried: the same limit would cut it again');
        const named = createReward(judge(server.url, { max_completion_tokens: 32 }), { task: 'instruction', clock: new FakeClock() });
        await assert.rejects(named.score(input, live()), /reached reward\.max_completion_tokens \(32\).*raise reward\.max_completion_tokens/);
      } finally {
        await server.close();
      }
    });

    it('uses reward.template over task.templates.judge over the task default', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('7')));
      try {
        const fromTask = createReward(judge(server.url), { task: 'translation', templates: { judge: 'T {{prompt}} / {{response}}' } });
        await fromTask.score(input, live());
        assert.equal(rubricOf(server.bodies[0]), `T ${messages[0]!.content} / ${input.response}`);
        const fromReward = createReward(judge(server.url, { template: 'R {{response}} for {{prompt}} ({{min}}-{{max}})' }), {
          task: 'translation',
          templates: { judge: 'T {{prompt}} / {{response}}' },
        });
        await fromReward.score(input, live());
        assert.equal(rubricOf(server.bodies[1]), `R ${input.response} for ${messages[0]!.content} (1-10)`);
        const fromDefault = createReward(judge(server.url), { task: 'translation' });
        await fromDefault.score(input, live());
        assert.match(rubricOf(server.bodies[2]), /translation/i);
      } finally {
        await server.close();
      }
    });
  });
}

for (const transport of TRANSPORTS) suite(transport);

describe('judge reward: request fields', () => {
  /** OpenAI's gpt-5 family: temperature 1 only, no top_p, max_completion_tokens only. */
  const gpt5 = (_req: unknown, res: Parameters<typeof sendJson>[0], raw: string): void => {
    const body = JSON.parse(raw) as Record<string, unknown>;
    if (body.top_p !== undefined) return sendJson(res, 400, { error: { message: "Unsupported parameter: 'top_p' is not supported with this model.", type: 'invalid_request_error', param: 'top_p', code: 'unsupported_parameter' } });
    if (body.max_tokens !== undefined) return sendJson(res, 400, { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } });
    if (body.temperature !== undefined && body.temperature !== 1) {
      return sendJson(res, 400, { error: { message: `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`, type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } });
    }
    sendJson(res, 200, completionBody('Score: 9'));
  };
  const viaStub = (url: string): typeof fetch => (target, init) => fetch(String(target instanceof Request ? target.url : target).replace('https://api.openai.com', url), init);
  const openAiJudge = (extra: Record<string, unknown>): RewardConfig => rewardSchema.parse({ type: 'judge', baseURL: 'https://api.openai.com/v1', model: 'gpt-5-mini', ...extra });

  it('a gpt-5 judge on OpenAI with temperature null scores: no top_p, the limit as max_completion_tokens, extraBody merged', async () => {
    const server = await startServer((req, res, raw) => gpt5(req, res, raw));
    try {
      const model = createCoreReward(openAiJudge({ temperature: null, extraBody: { reasoning_effort: 'minimal' } }), { task: 'instruction', fetch: viaStub(server.url), clock: new FakeClock() });
      assert.deepEqual(await model.score(input, live()), { reward: 9, attempts: 1 });
      const body = server.bodies[0] as Record<string, unknown>;
      assert.deepEqual([body.temperature, body.top_p, body.max_tokens, body.max_completion_tokens, body.reasoning_effort], [undefined, undefined, undefined, 1024, 'minimal']);
    } finally {
      await server.close();
    }
  });

  it("the default temperature 0 refused by a gpt-5 judge fails at once, saying to set reward.temperature", async () => {
    const server = await startServer((req, res, raw) => gpt5(req, res, raw));
    try {
      const model = createCoreReward(openAiJudge({}), { task: 'instruction', fetch: viaStub(server.url), clock: new FakeClock() });
      const error = await model.score(input, live()).catch((e: unknown) => e);
      assert.ok(error instanceof RewardError && error.refused);
      assert.match(error.message, /^reward \(judge\): the endpoint does not accept temperature 0 for this model; set reward\.temperature to 1 \(or to null, to send none\) \(the server said: 400 Unsupported value/);
      assert.equal(server.bodies.length, 1);
    } finally {
      await server.close();
    }
  });
});
