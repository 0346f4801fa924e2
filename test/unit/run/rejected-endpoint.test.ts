import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAgent } from '../../../src/core/agents/agent';
import { CallError, type ChatAgent } from '../../../src/core/agents/types';
import { rewardSchema } from '../../../src/core/config/schema';
import { createReward } from '../../../src/core/rewards/create';
import { RequestRefusedError } from '../../../src/core/run/request-refused';
import { runPrompts } from '../../../src/core/run/scheduler';
import type { RunEvent } from '../../../src/shared/events';
import { agentConfig, FakeClock, sendJson, startServer, type TestServer } from '../agents/helpers';
import { FakeWorld, makeConfig, makeRows, runOptions } from './fakes';

/** A server that answers every request with `status` and an OpenAI-shaped error body. */
function rejecting(status: number, message: string): Promise<TestServer> {
  return startServer((_req, res) => sendJson(res, status, { error: { message, type: 'invalid_request_error', code: null } }));
}

/** The fake world's agents, with `gamma` replaced by a real agent calling `url`. */
function withRealGamma(world: FakeWorld, config: ReturnType<typeof makeConfig>, url: string): ChatAgent[] {
  const real = createAgent(agentConfig(url, { name: 'gamma', maxRetries: 2 }), { clock: new FakeClock() });
  return world.agents(config).map((a) => (a.name === 'gamma' ? real : a));
}

describe('an endpoint that turns away every call stops the run before it fails every prompt', () => {
  for (const [status, advice] of [
    [401, /did not accept the API key: check the key set for it/],
    [402, /cannot pay for calls/],
    [403, /may not use this model or endpoint, or the endpoint refuses these prompts/],
    [404, /does not know this model or path/],
  ] as const) {
    it(`an agent answered ${status} at its first call`, async () => {
      const server = await rejecting(status, `status ${status} from the server`);
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
        const options = runOptions(world, config, makeRows(50), { agents: withRealGamma(world, config, server.url) });
        await assert.rejects(runPrompts(options), (error: unknown) => {
          assert.ok(error instanceof RequestRefusedError, String(error));
          assert.match(error.message, new RegExp(`^agent "gamma": ${status} status ${status} from the server\\. `));
          assert.match(error.message, advice);
          assert.match(error.message, /Every call with these settings would be refused, so the run stops\.$/);
          return true;
        });
        // Not retried (a 4xx other than 408/409/429), and stopped long before 50 prompts' calls. A
        // 403 counts once two prompts met it: with 2 calls in flight, a third prompt's call may
        // take the slot the first refusal freed before the second refusal arrives.
        const most = status === 403 ? 3 : 2;
        assert.ok(server.count <= most, `${server.count} requests to the rejecting endpoint`);
        assert.ok(options.events.filter((e) => e.type === 'prompt-queued').length < 10, 'the run stopped instead of failing all 50 prompts');
      } finally {
        await server.close();
      }
    });
  }

  for (const [keyEnv, cli] of [
    [undefined, 'the CLI: no key was sent, as agents[2].apiKeyEnv is not set: set it to the environment variable that holds the key'],
    ['GAMMA_KEY', 'the CLI: the environment variable GAMMA_KEY, which agents[2].apiKeyEnv names'],
  ] as const) {
    it(`a 401 says where the CLI took the key from: ${keyEnv ? 'the variable apiKeyEnv names' : 'none, with apiKeyEnv not set'}`, async () => {
      const server = await rejecting(401, 'Missing bearer authentication in header');
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
        config.agents[2]!.apiKeyEnv = keyEnv;
        const options = runOptions(world, config, makeRows(5), { agents: withRealGamma(world, config, server.url) });
        await assert.rejects(runPrompts(options), (error: unknown) => {
          assert.ok(error instanceof RequestRefusedError, String(error));
          assert.ok(error.message.includes(`(VS Code: TOA Studio: Set API Key; ${cli}).`), error.message);
          return true;
        });
      } finally {
        await server.close();
      }
    });
  }

  it('a refused key stops the run before its model slot passes to a waiting call: no call starts after the refusal', async () => {
    const world = new FakeWorld();
    // One model call at a time: the prompts' other calls wait for the slot gamma's call holds.
    const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 });
    let refused = false;
    let startedAfter = 0;
    const agents: ChatAgent[] = world.agents(config).map((a) =>
      a.name === 'gamma'
        ? { name: 'gamma', complete: () => ((refused = true), Promise.reject(new CallError('agent "gamma": 401 invalid key', 'gamma', { attempts: 1, status: 401 }))) }
        : { name: a.name, complete: (messages, signal) => ((startedAfter += refused ? 1 : 0), a.complete(messages, signal)) },
    );
    await assert.rejects(runPrompts(runOptions(world, config, makeRows(10), { agents })), RequestRefusedError);
    assert.ok(refused);
    assert.equal(startedAfter, 0, 'calls started after the key was refused');
  });

  it("a 403 about one prompt's text (OpenRouter's moderation flag) fails that prompt only; the same 403 for a second prompt stops the run", async () => {
    const flagged = { error: { code: 403, message: 'google/gemini requires moderation on OpenRouter. Your input was flagged for "violence"', metadata: { reasons: ['violence'], flagged_input: 'Question 0', provider_name: 'Google' } } };
    const answer = { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] };
    for (const [flaggedPrompts, stops] of [[['Question 0:'], false], [['Question 0:', 'Question 1:'], true]] as const) {
      const server = await startServer((_req, res, body) => sendJson(res, flaggedPrompts.some((p) => body.includes(p)) ? 403 : 200, flaggedPrompts.some((p) => body.includes(p)) ? flagged : answer));
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 });
        const run = runPrompts(runOptions(world, config, makeRows(20), { agents: withRealGamma(world, config, server.url) }));
        if (stops) {
          await assert.rejects(run, /^RequestRefusedError: agent "gamma": 403 .*flagged.*\. The API key may not use this model or endpoint, or the endpoint refuses these prompts \(a moderation flag\)\. Every call/);
        } else {
          const summary = await run;
          assert.deepEqual([summary.totals.done, summary.totals.failed], [19, 1]);
        }
      } finally {
        await server.close();
      }
    }
  });

  const noCredit = 'The account behind the API key cannot pay for calls: add credit, or use another key.';
  for (const [status, advice, error] of [
    [401, 'The endpoint did not accept the API key: check the key set for it', { message: 'key revoked' }],
    [402, noCredit, { message: 'key revoked' }],
    // OpenAI's no-credit 429 (a rate limit's is retried: see recorded-replies).
    [429, noCredit, { message: 'key revoked', type: 'insufficient_quota', code: 'insufficient_quota' }],
  ] as const) {
    it(`an agent that answered before and is then answered ${'code' in error ? `${status} ${error.code}` : status} (a key revoked, credit run out) stops the run; the prompts done before are kept`, async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n <= 3) return sendJson(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
        sendJson(res, status, { error });
      });
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 });
        const saved: string[] = [];
        const options = runOptions(world, config, makeRows(50), { agents: withRealGamma(world, config, server.url), onTree: async (_tree, row) => void saved.push(row.id) });
        const said = `agent "gamma": ${status} key revoked. ${advice}`;
        await assert.rejects(runPrompts(options), (error: unknown) => {
          assert.ok(error instanceof RequestRefusedError, String(error));
          assert.ok(error.message.startsWith(said), error.message);
          assert.match(error.message, / The key was accepted earlier in this run\. Every call with these settings would be refused, so the run stops\.$/);
          return true;
        });
        assert.equal(server.count, 4, 'not retried, and no call after the stop');
        assert.ok(options.events.filter((e) => e.type === 'prompt-queued').length < 10, 'the run stopped instead of failing the other prompts');
        const done = options.events.flatMap((e) => (e.type === 'prompt-done' ? [e.promptId] : []));
        assert.ok(done.length >= 1, 'the prompts that finished before the key was refused');
        assert.deepEqual(saved, done, 'and their outputs written');
        const last = options.events.at(-1)!;
        assert.ok(last.type === 'run-done' && last.stopped?.startsWith(said), JSON.stringify(last));
      } finally {
        await server.close();
      }
    });
  }

  it('an agent that answered before and is then answered 403 or 404 fails only those prompts: either may be about one prompt, or pass', async () => {
    for (const status of [403, 404]) {
      const server = await startServer((_req, res, body) => {
        if (!body.includes('Question 1:')) return sendJson(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
        sendJson(res, status, { error: { message: 'not for this prompt' } });
      });
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 });
        const summary = await runPrompts(runOptions(world, config, makeRows(3), { agents: withRealGamma(world, config, server.url) }));
        assert.equal(summary.cancelled, false, String(status));
        assert.deepEqual([summary.totals.done, summary.totals.failed], [2, 1], String(status));
      } finally {
        await server.close();
      }
    }
  });

  it('a reward endpoint that scored before and is then answered 401 stops the run, saying the key was accepted earlier', async () => {
    const server = await startServer((_req, res, _body, n) => (n <= 4 ? sendJson(res, 200, { score: 0.5 }) : sendJson(res, 401, { error: { message: 'Invalid token' } })));
    try {
      const world = new FakeWorld();
      const config = { ...makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 1 }), reward: rewardSchema.parse({ type: 'http', url: `${server.url}/score`, scorePath: '$.score', apiKeyEnv: 'SCORER_KEY' }) };
      const reward = createReward(config.reward, { task: 'instruction', clock: new FakeClock(), apiKey: () => 'k-123' });
      await assert.rejects(runPrompts(runOptions(world, config, makeRows(20), { reward })), (error: unknown) => {
        assert.ok(error instanceof RequestRefusedError, String(error));
        assert.match(error.message, /^reward http: 401 Invalid token \(POST http:\/\/127\.0\.0\.1:\d+\/score\)\. The endpoint did not accept the API key: check the key set for it \(VS Code: TOA Studio: Set API Key; the CLI: the environment variable SCORER_KEY, which reward\.apiKeyEnv names\)\. The key was accepted earlier in this run\. Every call/);
        return true;
      });
      assert.equal(server.count, 5);
    } finally {
      await server.close();
    }
  });

  it("a judge whose account runs out of credit (OpenAI's 429 insufficient_quota) stops the run at once, not after retries", async () => {
    const server = await startServer((_req, res, _body, n) =>
      n <= 2
        ? sendJson(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Score: 7' }, finish_reason: 'stop' }] })
        : sendJson(res, 429, { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }),
    );
    try {
      const world = new FakeWorld();
      const config = makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 1 });
      const reward = createReward(rewardSchema.parse({ type: 'judge', baseURL: `${server.url}/v1`, model: 'gpt-4o-mini' }), { task: 'instruction', clock: new FakeClock() });
      await assert.rejects(runPrompts(runOptions(world, config, makeRows(20), { reward })), (error: unknown) => {
        assert.ok(error instanceof RequestRefusedError, String(error));
        assert.match(error.message, /^reward judge: 429 You exceeded your current quota, please check your plan and billing details\. The account behind the API key cannot pay for calls: add credit, or use another key\. The key was accepted earlier in this run\. Every call/);
        return true;
      });
      assert.equal(server.count, 3, 'not retried');
    } finally {
      await server.close();
    }
  });

  it('a reward endpoint answered 401 at its first call', async () => {
    const server = await rejecting(401, 'Invalid token');
    try {
      const world = new FakeWorld();
      const config = makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 2 });
      const reward = createReward(rewardSchema.parse({ type: 'http', url: `${server.url}/score`, scorePath: '$.score' }), { task: 'instruction', clock: new FakeClock() });
      await assert.rejects(runPrompts(runOptions(world, config, makeRows(20), { reward })), (error: unknown) => {
        assert.ok(error instanceof RequestRefusedError, String(error));
        assert.match(error.message, /^reward http: 401 Invalid token \(POST http:\/\/127\.0\.0\.1:\d+\/score\)\. The endpoint did not accept the API key/);
        return true;
      });
      assert.equal(server.count, 1);
    } finally {
      await server.close();
    }
  });
});

/** vLLM's 400 for a request its endpoint cannot read: pydantic's error as Python prints it, which echoes the request, prompt and all. */
function vllmMissingField(request: string): unknown {
  const echoed = request.replaceAll('"', "'");
  return { error: { message: `1 validation error:\n  {'type': 'missing', 'loc': ('body', 'input'), 'msg': 'Field required', 'input': ${echoed}}`, type: 'Bad Request', param: null, code: 400 } };
}

/** FastAPI's own 422 for the same: its `detail` list, which echoes the request as JSON. */
function fastApiMissingField(request: string): unknown {
  return { detail: [{ type: 'missing', loc: ['body', 'input'], msg: 'Field required', input: JSON.parse(request) as unknown }] };
}

/** A 400 about one prompt: its own length, as vLLM says a prompt too long for the model. */
function tooLong(request: string): unknown {
  return { error: { message: `This model's maximum context length is 100 tokens. However, your request has ${100 + request.length} input tokens. Please reduce the length of the input messages.`, type: 'BadRequestError', param: null, code: 400 } };
}

const answer = { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] };

function failedPrompts(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'prompt-failed' ? [e.promptId] : []));
}

/** The last prompt a fake world's agents were sent, by its question number. */
function lastPromptAsked(world: FakeWorld): number {
  return Math.max(...world.calls.map((c) => Number(/^Question (\d+)/.exec(c.messages.at(-1)!.content)?.[1])));
}

describe('an endpoint that cannot read the requests (the same 400 or 422 for three prompts before it answered any) stops the run', () => {
  const unreadable = /\. The endpoint refused 3 different prompts with the same message before answering any: it likely expects another request format\. Check /;

  for (const [status, body] of [
    [400, vllmMissingField],
    [422, fastApiMissingField],
  ] as const) {
    it(`a vLLM reward whose /classify takes no chat messages (${status}, echoing each request) stops at the third prompt, before later prompts reach the agents`, async () => {
      const server = await startServer((_req, res, request) => sendJson(res, status, body(request)));
      try {
        const world = new FakeWorld();
        const config = { ...makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 1 }), reward: rewardSchema.parse({ type: 'vllm', baseURL: server.url, model: 'rm' }) };
        const reward = createReward(config.reward, { task: 'instruction', clock: new FakeClock() });
        const saved: string[] = [];
        const options = runOptions(world, config, makeRows(50), { reward, onTree: async (_tree, row) => void saved.push(row.id) });
        await assert.rejects(runPrompts(options), (error: unknown) => {
          assert.ok(error instanceof RequestRefusedError, String(error));
          assert.match(error.message, new RegExp(`^reward vllm: ${status} .*Field required.*Question 2: .*\\(POST http://127\\.0\\.0\\.1:\\d+/classify\\)${unreadable.source}`));
          assert.match(error.message, /Check reward\.type and reward\.endpoint \(vllm: \/classify or \/pooling\), and the server's API\. Every call with these settings would be refused, so the run stops\.$/);
          return true;
        });
        // One reward call a prompt (concurrency 1, not retried): the third prompt's stopped the run.
        assert.equal(server.count, 3);
        assert.deepEqual(failedPrompts(options.events), ['p0', 'p1', 'p2']);
        assert.ok(!options.events.some((e) => e.type === 'prompt-done'), 'no prompt done');
        assert.deepEqual(saved, [], 'no output written');
        // The prompts in flight with the third (2 per slot) had their agent calls; none after.
        assert.ok(lastPromptAsked(world) <= 3, `the agents were sent prompt p${lastPromptAsked(world)}`);
        const last = options.events.at(-1)!;
        assert.ok(last.type === 'run-done' && last.stopped?.startsWith(`reward vllm: ${status} `), JSON.stringify(last));
      } finally {
        await server.close();
      }
    });

    it(`an agent whose server cannot read its chat requests (${status}, echoing each request) stops at the third prompt`, async () => {
      const server = await startServer((_req, res, request) => sendJson(res, status, body(request)));
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 });
        const options = runOptions(world, config, makeRows(50), { agents: withRealGamma(world, config, server.url) });
        await assert.rejects(runPrompts(options), (error: unknown) => {
          assert.ok(error instanceof RequestRefusedError, String(error));
          assert.match(error.message, new RegExp(`^agent "gamma": ${status} .*Field required.*Question 2: .*${unreadable.source}`));
          assert.match(error.message, /Check agents\[2\]\.baseURL and agents\[2\]\.model, and the server's chat API\. Every call with these settings would be refused, so the run stops\.$/);
          return true;
        });
        assert.equal(server.count, 3, 'not retried, and no call to it after the stop');
        assert.deepEqual(failedPrompts(options.events), ['p0', 'p1', 'p2']);
        assert.ok(lastPromptAsked(world) <= 3, `the agents were sent prompt p${lastPromptAsked(world)}`);
      } finally {
        await server.close();
      }
    });
  }

  it("the agent's 400 in the same words for every prompt: the message and the advice, with the server's text as it said it", async () => {
    const server = await rejecting(400, 'Field required:   input');
    try {
      const world = new FakeWorld();
      const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
      const options = runOptions(world, config, makeRows(50), { agents: withRealGamma(world, config, server.url) });
      await assert.rejects(
        runPrompts(options),
        /^RequestRefusedError: agent "gamma": 400 Field required: input\. The endpoint refused 3 different prompts with the same message before answering any: it likely expects another request format\. Check agents\[2\]\.baseURL and agents\[2\]\.model, and the server's chat API\. Every call/,
      );
      assert.ok(options.events.filter((e) => e.type === 'prompt-queued').length < 10, 'the run stopped instead of failing all 50 prompts');
    } finally {
      await server.close();
    }
  });

  for (const [what, status, refusal] of [
    ["a prompt too long for the model, in the server's words with its token count", 400, tooLong],
    ["a value pydantic refuses on its own (a prompt's text too long), echoed in each error", 422, (request: string) => ({ detail: [{ type: 'string_too_long', loc: ['body', 'messages', 0, 'content'], msg: 'String should have at most 10 characters', input: (JSON.parse(request) as { messages: { content: string }[] }).messages[0]!.content, ctx: { max_length: 10 } }] })],
  ] as const) {
    it(`400s or 422s whose message differs by prompt (${what}) never stop the run: each fails its prompt`, async () => {
      const server = await startServer((_req, res, request) => sendJson(res, status, refusal(request)));
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
        // Prompts of different lengths, as a dataset's are.
        const rows = makeRows(8, (i) => `Question ${i}: what is ${'1 + '.repeat(i)}1?`);
        const options = runOptions(world, config, rows, { agents: withRealGamma(world, config, server.url) });
        const summary = await runPrompts(options);
        assert.equal(summary.cancelled, false);
        assert.deepEqual([summary.totals.done, summary.totals.failed], [0, 8]);
        assert.equal(server.count, 8);
        for (const event of options.events) if (event.type === 'prompt-failed') assert.match(event.error, new RegExp(`agent "gamma": ${status} `), event.error);
      } finally {
        await server.close();
      }
    });
  }

  for (const endpoint of ['agent', 'reward'] as const) {
    it(`the same 400 after the ${endpoint} answered once does not count: it fails only its prompts`, async () => {
      const server = await startServer((_req, res, request, n) => {
        if (n === 1) return sendJson(res, 200, endpoint === 'agent' ? answer : { data: [{ probs: [0.5], num_classes: 1 }] });
        sendJson(res, 400, vllmMissingField(request));
      });
      try {
        const world = new FakeWorld();
        const config = makeConfig({ strategy: 'best-of-n', budget: 1, concurrency: 1 });
        config.search.agent = 'gamma';
        const vllm = rewardSchema.parse({ type: 'vllm', baseURL: server.url, model: 'rm' });
        const extra = endpoint === 'agent' ? { agents: withRealGamma(world, config, server.url) } : { reward: createReward(vllm, { task: 'instruction', clock: new FakeClock() }) };
        const summary = await runPrompts(runOptions(world, config, makeRows(8), extra));
        assert.equal(summary.cancelled, false);
        assert.deepEqual([summary.totals.done, summary.totals.failed], [1, 7]);
        assert.equal(server.count, 8);
      } finally {
        await server.close();
      }
    });
  }
});

describe('replies no score can be read from (a wrong scorePath) for three prompts before any gave one stop the run', () => {
  /** An HTTP scorer answering `{"score": n}`, read at `scorePath`; `n` per call. */
  async function scorer(scorePath: string, score: (call: number) => unknown = (n) => n / 10) {
    const server = await startServer((_req, res, _request, n) => sendJson(res, 200, { score: score(n) }));
    const config = { ...makeConfig({ strategy: 'best-of-n', budget: 1, concurrency: 1 }), reward: rewardSchema.parse({ type: 'http', url: `${server.url}/score`, bodyTemplate: { text: '{{response}}' }, scorePath }) };
    return { server, config, reward: createReward(config.reward, { task: 'instruction', clock: new FakeClock() }) };
  }

  it('an HTTP reward read at a path its replies lack stops at the third prompt, saying what reads the score', async () => {
    const { server, config, reward } = await scorer('$.scores[0]');
    try {
      const world = new FakeWorld();
      const options = runOptions(world, config, makeRows(50), { reward });
      await assert.rejects(runPrompts(options), (error: unknown) => {
        assert.ok(error instanceof RequestRefusedError, String(error));
        assert.match(error.message, /^reward http: .*scores.*\. No score could be read from the replies to 3 different prompts, and none has given one yet: check reward\.scorePath against a reply of reward\.url\. No reply would give a score read this way, so the run stops\.$/);
        return true;
      });
      assert.equal(server.count, 3);
      assert.deepEqual(failedPrompts(options.events), ['p0', 'p1', 'p2']);
    } finally {
      await server.close();
    }
  });

  it('after a reply gave a score, one without fails only its prompt', async () => {
    // The first reply has the score; the others hold null there.
    const { server, config, reward } = await scorer('$.score', (n) => (n === 1 ? 0.5 : null));
    try {
      const summary = await runPrompts(runOptions(new FakeWorld(), config, makeRows(8), { reward }));
      assert.equal(summary.cancelled, false);
      assert.deepEqual([summary.totals.done, summary.totals.failed], [1, 7]);
    } finally {
      await server.close();
    }
  });
});
