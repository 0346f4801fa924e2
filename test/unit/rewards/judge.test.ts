import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/core/chat';
import { rewardSchema, type RewardConfig } from '../../../src/core/config/schema';
import { createReward as createCoreReward, type RewardDeps } from '../../../src/core/rewards/create';
import { TRANSPORTS, type Transport } from '../http/transports';
import { RewardError } from '../../../src/core/rewards/types';
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
          assert.deepEqual([error.attempts, error.unreachable], [2, false]);
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
        assert.deepEqual([error.attempts, error.unreachable], [6, true]);
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
