import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { retrySubject, type RetryNotice } from '../../../src/core/agents/types';
import type { ChatMessage } from '../../../src/core/chat';
import { rewardSchema, type RewardConfig } from '../../../src/core/config/schema';
import { createReward as createCoreReward, type RewardDeps } from '../../../src/core/rewards/create';
import { TRANSPORTS, type Transport } from '../http/transports';
import { RewardError, type RewardInput, type RewardModel } from '../../../src/core/rewards/types';
import { expectAbortDuringBackoff, FakeClock, sendJson, startServer, waitFor } from '../agents/helpers';
import { sendRecorded } from '../../helpers/recorded-replies';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are kind.' },
  { role: 'user', content: 'Name a color.' },
];
const input: RewardInput = { messages, response: 'Blue.', reference: 'Red', promptId: 'p1' };
const live = (): AbortSignal => new AbortController().signal;
const reward = (raw: Record<string, unknown>): RewardConfig => rewardSchema.parse(raw);

function suite(transport: Transport): void {
  const createReward = (config: RewardConfig, deps: RewardDeps) => createCoreReward(config, { fetch: transport.fetch, ...deps });

  describe(`${transport.label}: vllm reward`, () => {
    it('POSTs the prompt plus the response to /classify, asking for the raw score, and reads probs[0]', async () => {
      const server = await startServer((req, res) => sendJson(res, req.url === '/classify' ? 200 : 404, { data: [{ index: 0, label: 'LABEL_0', probs: [8.375], num_classes: 1 }] }));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm', apiKeyEnv: 'RM_KEY' }), {
          task: 'instruction',
          apiKey: (name) => (name === 'RM_KEY' ? 'k-123' : undefined),
        });
        assert.equal((await model.score(input, live())).reward, 8.375);
        assert.deepEqual(server.bodies[0], { model: 'rm', messages: [...messages, { role: 'assistant', content: 'Blue.' }], use_activation: false });
        assert.equal(server.headers[0]!.authorization, 'Bearer k-123');
      } finally {
        await server.close();
      }
    });

    it('reads the last token\'s reward from per-token pooling data, with a trailing slash in baseURL', async () => {
      const server = await startServer((req, res) => sendJson(res, req.url === '/pooling' ? 200 : 404, { data: [{ index: 0, data: [[1.25], [0.5], [0.3]] }] }));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: `${server.url}/`, model: 'rm', endpoint: 'pooling' }), { task: 'instruction' });
        assert.equal((await model.score(input, live())).reward, 0.3);
        assert.equal(server.headers[0]!.authorization, undefined);
      } finally {
        await server.close();
      }
    });

    it('names the missing part of the reply', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, { data: [] }));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction' });
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.ok(error instanceof RewardError);
          assert.match(error.message, /nothing at \$\.data\[0\] \(looking for \$\.data\[0\]\.probs\)/);
          return true;
        });
      } finally {
        await server.close();
      }
    });

    it('retries 429 (Retry-After), 503 and malformed JSON with the shared policy, reporting each', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n === 1) return sendJson(res, 429, { message: 'busy' }, { 'retry-after': '3' });
        if (n === 2) return sendJson(res, 503, { error: { message: 'loading' } });
        if (n === 3) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('{"data": [');
        }
        sendJson(res, 200, { data: [{ probs: [0.5] }] });
      });
      try {
        const clock = new FakeClock();
        const notices: RetryNotice[] = [];
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction', clock, onRetry: (n) => notices.push(n) });
        assert.equal((await model.score(input, live())).reward, 0.5);
        assert.equal(server.count, 4);
        assert.equal(clock.sleeps[0], 3000);
        assert.deepEqual(notices.map((n) => n.reason.slice(0, 20)), ['429 busy', '503 loading', 'malformed reply (not']);
        assert.ok(notices.every((n) => n.agent === 'vllm'));
      } finally {
        await server.close();
      }
    });

    it('keeps the key out of an error message the server echoes it in', async () => {
      const server = await startServer((req, res) => sendJson(res, 401, { message: `bad token ${String(req.headers.authorization)}` }));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm', apiKeyEnv: 'RM_KEY' }), { task: 'instruction', apiKey: () => 'rm-key-123456' });
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.match((error as Error).message, /^reward vllm: 401 bad token Bearer \[redacted key\] \(POST /);
          return true;
        });
      } finally {
        await server.close();
      }
    });

    it('fails a 400 at once with the server message', async () => {
      const server = await startServer((_req, res) => sendJson(res, 400, { object: 'error', message: 'This model does not support classify' }));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction', clock: new FakeClock() });
        await assert.rejects(model.score(input, live()), /^RewardError: reward vllm: 400 This model does not support classify \(POST http/m);
        assert.equal(server.count, 1);
      } finally {
        await server.close();
      }
    });

    it("reads an error body in the shapes the agents read: a provider's detail, FastAPI's detail, a long message by its start", async () => {
      const bodies = [
        { error: { message: 'Provider returned error', code: 400, metadata: { provider_name: 'Fireworks', raw: '{"error":{"message":"model not found"}}' } } },
        { detail: [{ loc: ['body', 'messages'], msg: 'Field required', type: 'missing' }] },
        { error: { message: `Invalid request:\n${'  at validate (server.py:12)\n'.repeat(100)}` } },
      ];
      const server = await startServer((_req, res, _body, n) => sendJson(res, 400, bodies[n - 1]));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction', clock: new FakeClock() });
        const reasons: string[] = [];
        for (let i = 0; i < bodies.length; i++) await model.score(input, live()).catch((error: Error) => reasons.push(error.message.replace(/ \(POST .*\)$/, '')));
        assert.equal(reasons[0], 'reward vllm: 400 Provider returned error (Fireworks: model not found)');
        assert.equal(reasons[1], 'reward vllm: 400 [{"loc":["body","messages"],"msg":"Field required","type":"missing"}]');
        assert.match(reasons[2]!, /^reward vllm: 400 Invalid request: at validate \(server\.py:12\) at validate/);
        assert.ok(reasons[2]!.endsWith('…') && reasons[2]!.length < 320, reasons[2]);
      } finally {
        await server.close();
      }
    });

    it("shortens a server's body as the agents do: a Python traceback to its exception, a proxy's HTML page to its text", async () => {
      const server = await startServer((_req, res, _body, n) => (n === 3 ? sendJson(res, 200, { data: [{ probs: [0.5] }] }) : sendRecorded(res, n === 1 ? 'vllm-traceback-400' : 'nginx-502')));
      try {
        const notices: RetryNotice[] = [];
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction', clock: new FakeClock(), onRetry: (n) => notices.push(n) });
        await assert.rejects(model.score(input, live()), /^RewardError: reward vllm: 400 ValueError: This model's maximum context length is 4096 tokens\. .* Please reduce the length of the messages or completion\. \(POST http/);
        assert.deepEqual(await model.score(input, live()), { reward: 0.5, attempts: 2 });
        assert.deepEqual(notices.map((n) => n.reason), ['502 an HTML page (357 bytes): "502 Bad Gateway nginx/1.24.0 (Ubuntu)"']);
      } finally {
        await server.close();
      }
    });

    it('retries connection errors, then gives up with the last reason', async () => {
      const server = await startServer(() => undefined);
      const url = server.url;
      await server.close();
      const clock = new FakeClock();
      const notices: RetryNotice[] = [];
      const model = createReward(reward({ type: 'vllm', baseURL: url, model: 'rm' }), { task: 'instruction', clock, onRetry: (n) => notices.push(n) });
      await assert.rejects(model.score(input, live()), /reward vllm: gave up after 6 attempts: connection failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ /);
      assert.equal(clock.sleeps.length, 5);
      assert.equal(notices.length, 5);
      assert.equal(retrySubject(notices[0]!), 'reward vllm', 'retry lines name the reward, not an "agent vllm"');
    });

    it('times out a reply that never comes and retries it', async () => {
      const server = await startServer((_req, res, _body, n) => (n === 1 ? undefined : sendJson(res, 200, { data: [{ probs: [0.25] }] })));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm', timeoutMs: 100 }), { task: 'instruction', clock: new FakeClock() });
        assert.deepEqual(await model.score(input, live()), { reward: 0.25, attempts: 2 });
        assert.equal(server.count, 2);
      } finally {
        await server.close();
      }
    });

    it('aborts a call in flight and a backoff wait with the abort reason', async () => {
      const hanging = await startServer(() => undefined);
      try {
        const inFlight = new AbortController();
        const call = createReward(reward({ type: 'vllm', baseURL: hanging.url, model: 'rm' }), { task: 'instruction' }).score(input, inFlight.signal);
        await waitFor(() => hanging.count === 1);
        const reason = new Error('cancel 1');
        inFlight.abort(reason);
        await assert.rejects(call, (e) => e === reason);
      } finally {
        await hanging.close();
      }
      await expectAbortDuringBackoff((url, clock, signal) => createReward(reward({ type: 'vllm', baseURL: url, model: 'rm' }), { task: 'instruction', clock }).score(input, signal));
    });
  });

  describe(`${transport.label}: http reward`, () => {
    it('names its URL in an error without the key its query carries', async () => {
      const server = await startServer((_req, res) => sendJson(res, 403, { message: 'forbidden' }));
      try {
        const model = createReward(reward({ type: 'http', url: `${server.url}/score?key=scorer-secret-42&v=2`, scorePath: '$.score' }), { task: 'instruction' });
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.equal((error as Error).message, `reward http: 403 forbidden (POST ${server.url}/score?key=…&v=…)`);
          return true;
        });
      } finally {
        await server.close();
      }
    });

    it('fills the body template, sends headers and key, and reads scorePath', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, { result: { scores: [0.1, '0.9'] } }));
      try {
        const config = reward({
          type: 'http',
          url: `${server.url}/score`,
          headers: { 'x-team': 'a' },
          apiKeyEnv: 'SCORER_KEY',
          bodyTemplate: { conv: '{{messages}}', text: 'Q: {{prompt}}\nA: {{response}}', ref: '{{reference}}', meta: { n: 3, tags: ['{{response}}'] } },
          scorePath: '$.result.scores[1]',
        });
        const model = createReward(config, { task: 'instruction', apiKey: () => 'secret' });
        assert.equal((await model.score(input, live())).reward, 0.9);
        assert.deepEqual(server.bodies[0], { conv: messages, text: 'Q: Name a color.\nA: Blue.', ref: 'Red', meta: { n: 3, tags: ['Blue.'] } });
        assert.equal(server.headers[0]!['x-team'], 'a');
        assert.equal(server.headers[0]!.authorization, 'Bearer secret');
      } finally {
        await server.close();
      }
    });

    it('sends the key in the header apiKeyHeader names, as it is (x-api-key, Azure\'s api-key), and redacts it there too', async () => {
      const server = await startServer((req, res) => sendJson(res, 200, { echo: String(req.headers['api-key']) }));
      try {
        const deps: RewardDeps = { task: 'instruction', apiKey: () => 'az-key-123456' };
        const scorer = (apiKeyHeader: string, headers: Record<string, string> = {}): RewardModel => createReward(reward({ type: 'http', url: server.url, headers, scorePath: '$.score', apiKeyEnv: 'AZ_KEY', apiKeyHeader }), deps);
        await assert.rejects(scorer('api-key').score(input, live()), (error: unknown) => {
          assert.match((error as Error).message, /reply: \{"echo":"\[redacted key\]"\}/);
          assert.doesNotMatch((error as Error).message, /az-key-123456/);
          return true;
        });
        assert.equal(server.headers[0]!['api-key'], 'az-key-123456');
        assert.equal(server.headers[0]!.authorization, undefined, 'not as a bearer token too');
        await assert.rejects(scorer('X-Api-Key').score(input, live()));
        assert.equal(server.headers[1]!['x-api-key'], 'az-key-123456');
        // A value the config's headers set for that header wins, as an Authorization header does.
        await assert.rejects(scorer('api-key', { 'API-Key': 'from-config' }).score(input, live()));
        assert.equal(server.headers[2]!['api-key'], 'from-config');
      } finally {
        await server.close();
      }
    });

    it('names its sender in User-Agent; a header the config sets replaces ours in whatever case it is written, never joins it', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, { score: 1 }));
      try {
        const scorer = (headers: Record<string, string>): RewardModel => createReward(reward({ type: 'http', url: server.url, headers, scorePath: '$.score' }), { task: 'instruction' });
        await scorer({}).score(input, live());
        assert.match(String(server.headers[0]!['user-agent']), /^TOA-Studio\/\d+\.\d+\.\d+$/);
        assert.equal(server.headers[0]!['content-type'], 'application/json');
        await scorer({ 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'my-scorer-client' }).score(input, live());
        assert.equal(server.headers[1]!['content-type'], 'application/json; charset=utf-8');
        assert.equal(server.headers[1]!['user-agent'], 'my-scorer-client');
        const vllm = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction' });
        await vllm.score(input, live()).catch(() => undefined);
        assert.match(String(server.headers[2]!['user-agent']), /^TOA-Studio\//);
      } finally {
        await server.close();
      }
    });

    it('keeps a configured Authorization header; {{reference}} is empty when the row has none', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, { score: 2 }));
      try {
        const bodyTemplate = { prompt: '{{prompt}}', response: '{{response}}', reference: '{{reference}}', all: '{{messages}}!' };
        const config = reward({ type: 'http', url: server.url, headers: { Authorization: 'Token t' }, bodyTemplate, scorePath: 'score' });
        const model = createReward(config, { task: 'instruction', apiKey: () => 'other' });
        assert.equal((await model.score({ messages, response: 'x' }, live())).reward, 2);
        assert.equal(server.headers[0]!.authorization, 'Token t');
        assert.deepEqual(server.bodies[0], { prompt: 'Name a color.', response: 'x', reference: '', all: `${JSON.stringify(messages)}!` });
      } finally {
        await server.close();
      }
    });

    it('a reply without a score after a retry fails with the attempts it took', async () => {
      const server = await startServer((_req, res, _body, n) => (n === 1 ? sendJson(res, 503, { message: 'busy' }) : sendJson(res, 200, { data: [] })));
      try {
        const model = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm' }), { task: 'instruction', clock: new FakeClock() });
        await assert.rejects(model.score(input, live()), (error: unknown) => {
          assert.ok(error instanceof RewardError);
          assert.match(error.message, /reply has nothing at \$\.data\[0\]/);
          assert.equal(error.attempts, 2);
          return true;
        });
      } finally {
        await server.close();
      }
    });

    it('names the missing path, and rejects a non-numeric score', async () => {
      const server = await startServer((_req, res, _body, n) => sendJson(res, 200, n === 1 ? { result: {} } : { result: { score: 'high' } }));
      try {
        const model = createReward(reward({ type: 'http', url: server.url, bodyTemplate: {}, scorePath: '$.result.score' }), { task: 'instruction' });
        await assert.rejects(model.score(input, live()), /reward http: reply has nothing at \$\.result\.score; reply: \{"result":\{\}\}$/m);
        await assert.rejects(model.score(input, live()), /reward http: \$\.result\.score is "high", not a finite number/);
      } finally {
        await server.close();
      }
    });

    it('keeps the key out of a scoreless reply quoted in the error (http and vllm)', async () => {
      const server = await startServer((req, res) => sendJson(res, 200, { echo: String(req.headers.authorization) }));
      try {
        const deps: RewardDeps = { task: 'instruction', apiKey: () => 'rm-key-123456' };
        const http = createReward(reward({ type: 'http', url: server.url, scorePath: '$.score', apiKeyEnv: 'RM_KEY' }), deps);
        const vllm = createReward(reward({ type: 'vllm', baseURL: server.url, model: 'rm', apiKeyEnv: 'RM_KEY' }), deps);
        for (const model of [http, vllm]) {
          await assert.rejects(model.score(input, live()), (error: unknown) => {
            assert.match((error as Error).message, /reply: \{"echo":"Bearer \[redacted key\]"\}/);
            assert.doesNotMatch((error as Error).message, /rm-key-123456/);
            return true;
          });
        }
      } finally {
        await server.close();
      }
    });
  });
}

for (const transport of TRANSPORTS) suite(transport);
