import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAgent as createCoreAgent, createAgents as createCoreAgents, NO_API_KEY, type AgentDeps, type AgentsDeps } from '../../../src/core/agents/agent';
import type { AgentConfig } from '../../../src/core/config/schema';
import { TRANSPORTS, type Transport } from '../http/transports';
import { CallError, type RetryNotice } from '../../../src/core/agents/types';
import type { ChatMessage } from '../../../src/core/chat';
import { agentConfig, completionBody, expectAbortDuringBackoff, FakeClock, sendJson, sendStream, startServer, waitFor, type TestServer } from './helpers';

const ask: ChatMessage[] = [{ role: 'user', content: 'Say hi' }];
const live = (): AbortSignal => new AbortController().signal;

function suite(transport: Transport): void {
  const createAgent = (config: AgentConfig, deps: AgentDeps = {}) => createCoreAgent(config, { fetch: transport.fetch, ...deps });
  const createAgents = (configs: AgentConfig[], deps: AgentsDeps) => createCoreAgents(configs, { fetch: transport.fetch, ...deps });

  describe(`${transport.label}: agent: requests and replies`, () => {
    it('sends model, sampling params, system prompt and key; returns text, usage and cost', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('Hello!')));
      try {
        const config = agentConfig(server.url, {
          systemPrompt: 'Be brief.',
          temperature: 0.3,
          top_p: 0.9,
          max_tokens: 64,
          price: { inputPerMillion: 2, outputPerMillion: 10 },
        });
        const agent = createAgent(config, { apiKey: 'sk-test-secret', clock: new FakeClock() });
        const done = await agent.complete(ask, live());
        assert.equal(done.text, 'Hello!');
        assert.deepEqual([done.promptTokens, done.completionTokens, done.attempts], [11, 7, 1]);
        assert.equal(done.costUsd, (11 * 2 + 7 * 10) / 1e6);
        assert.deepEqual(server.bodies[0], {
          model: 'm',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Say hi' },
          ],
          temperature: 0.3,
          top_p: 0.9,
          max_tokens: 64,
          stream: false,
        });
        assert.equal(server.headers[0]!.authorization, 'Bearer sk-test-secret');
      } finally {
        await server.close();
      }
    });

    it('does not double a system prompt that is already in place', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('ok')));
      try {
        const agent = createAgent(agentConfig(server.url, { systemPrompt: 'S' }), { clock: new FakeClock() });
        await agent.complete([{ role: 'system', content: 'S' }, ...ask], live());
        assert.equal((server.bodies[0] as { messages: unknown[] }).messages.length, 2);
      } finally {
        await server.close();
      }
    });

    it('streams with include_usage and assembles the text', async () => {
      const server = await startServer((_req, res) => sendStream(res, ['Hel', 'lo', '!']));
      try {
        const agent = createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock() });
        const done = await agent.complete(ask, live());
        assert.equal(done.text, 'Hello!');
        assert.deepEqual([done.promptTokens, done.completionTokens], [5, 3]);
        const body = server.bodies[0] as { stream: boolean; stream_options: unknown };
        assert.equal(body.stream, true);
        assert.deepEqual(body.stream_options, { include_usage: true });
      } finally {
        await server.close();
      }
    });

    it('estimates tokens when the server reports no usage', async () => {
      const server = await startServer((_req, res) => sendStream(res, ['a'.repeat(40)], { usage: false }));
      try {
        const agent = createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock() });
        const done = await agent.complete(ask, live());
        assert.equal(done.completionTokens, 10);
        assert.ok(done.promptTokens > 0);
      } finally {
        await server.close();
      }
    });

    it('sends a placeholder key, never OPENAI_API_KEY from the environment, when no key is configured', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('ok')));
      const saved = process.env.OPENAI_API_KEY;
      process.env.OPENAI_API_KEY = 'sk-from-env';
      try {
        await createAgent(agentConfig(server.url), { clock: new FakeClock() }).complete(ask, live());
        assert.equal(server.headers[0]!.authorization, `Bearer ${NO_API_KEY}`);
      } finally {
        if (saved === undefined) delete process.env.OPENAI_API_KEY;
        else process.env.OPENAI_API_KEY = saved;
        await server.close();
      }
    });

    it('createAgents builds one agent per config, in order, with each its own key', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('ok')));
      try {
        const configs = [agentConfig(server.url, { name: 'a' }), agentConfig(server.url, { name: 'b' })];
        const agents = createAgents(configs, { apiKeyFor: (name) => `key-${name}`, clock: new FakeClock() });
        assert.deepEqual(agents.map((a) => a.name), ['a', 'b']);
        await agents[1]!.complete(ask, live());
        assert.equal(server.headers[0]!.authorization, 'Bearer key-b');
      } finally {
        await server.close();
      }
    });
  });

  describe(`${transport.label}: agent: faults that are retried`, () => {
    let notices: RetryNotice[] = [];
    const onRetry = (n: RetryNotice): void => void notices.push(n);
    beforeEach(() => (notices = []));

    it('honours Retry-After on a 429 through the injected clock, and counts the wait as latency', async () => {
      const server = await startServer((_req, res, _body, n) =>
        n === 1 ? sendJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '2' }) : sendJson(res, 200, completionBody('ok')),
      );
      try {
        const clock = new FakeClock();
        const done = await createAgent(agentConfig(server.url), { clock, onRetry }).complete(ask, live());
        assert.equal(done.attempts, 2);
        assert.deepEqual(clock.sleeps, [2000]);
        assert.equal(done.latencyMs, 2000);
        assert.equal(notices.length, 1);
        assert.equal(notices[0]!.agent, 'gpt');
        assert.equal(notices[0]!.delayMs, 2000);
        assert.match(notices[0]!.reason, /429 slow down/);
      } finally {
        await server.close();
      }
    });

    it('prefers retry-after-ms when both are sent', async () => {
      const server = await startServer((_req, res, _body, n) =>
        n === 1 ? sendJson(res, 503, {}, { 'retry-after-ms': '150', 'retry-after': '9' }) : sendJson(res, 200, completionBody('ok')),
      );
      try {
        const clock = new FakeClock();
        await createAgent(agentConfig(server.url), { clock }).complete(ask, live());
        assert.deepEqual(clock.sleeps, [150]);
      } finally {
        await server.close();
      }
    });

    it('retries a 500 after a jittered exponential backoff', async () => {
      const server = await startServer((_req, res, _body, n) =>
        n === 1 ? sendJson(res, 500, { error: { message: 'boom' } }) : sendJson(res, 200, completionBody('ok')),
      );
      try {
        const clock = new FakeClock();
        const done = await createAgent(agentConfig(server.url), { clock, onRetry }).complete(ask, live());
        assert.equal(done.text, 'ok');
        assert.equal(done.attempts, 2);
        assert.equal(clock.sleeps.length, 1);
        assert.ok(clock.sleeps[0]! >= 250 && clock.sleeps[0]! <= 500, `first backoff ${clock.sleeps[0]}`);
        assert.match(notices[0]!.reason, /500 boom/);
      } finally {
        await server.close();
      }
    });

    it('retries a stream that is cut mid-way (socket destroyed)', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n > 1) return sendStream(res, ['full ', 'answer']);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'par' }, finish_reason: null }] })}\n\n`);
        setTimeout(() => res.destroy(), 20);
      });
      try {
        const done = await createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.equal(done.text, 'full answer');
        assert.equal(done.attempts, 2);
        assert.match(notices[0]!.reason, /connection lost/);
      } finally {
        await server.close();
      }
    });

    it('marks a reply that stopped at max_tokens as cut off, streamed or not', async () => {
      const server = await startServer((_req, res, body, n) => {
        if ((JSON.parse(body) as { stream?: boolean }).stream) return sendStream(res, ['half an ans'], { reason: n === 1 ? 'length' : 'stop' });
        sendJson(res, 200, { ...completionBody('half'), choices: [{ index: 0, message: { role: 'assistant', content: 'half' }, finish_reason: 'length' }] });
      });
      try {
        assert.equal((await createAgent(agentConfig(server.url, { stream: true })).complete(ask, live())).cutOff, true);
        assert.equal((await createAgent(agentConfig(server.url, { stream: true })).complete(ask, live())).cutOff, false);
        assert.equal((await createAgent(agentConfig(server.url)).complete(ask, live())).cutOff, true);
      } finally {
        await server.close();
      }
    });

    it('retries a stream that ends without a finish_reason', async () => {
      const server = await startServer((_req, res, _body, n) => sendStream(res, ['x'], { finish: n > 1 }));
      try {
        const done = await createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.equal(done.attempts, 2);
        assert.match(notices[0]!.reason, /finish_reason/);
      } finally {
        await server.close();
      }
    });

    it("a streamed request answered with JSON: a 200 error is retried in the server's words, a whole completion is the answer", async () => {
      const server = await startServer((_req, res, _body, n) => (n > 1 ? sendJson(res, 200, completionBody('whole')) : sendJson(res, 200, { error: { message: 'model is loading' } })));
      try {
        const done = await createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.deepEqual([done.text, done.attempts], ['whole', 2]);
        assert.equal(notices[0]!.reason, 'server error in the reply: model is loading');
      } finally {
        await server.close();
      }
    });

    it('a stream a proxy labels application/json is read as the stream it is', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = (delta: unknown, finish: string | null): string => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.end(`: keep-alive\n\n${chunk({ content: 'Hel' }, null)}${chunk({ content: 'lo' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
      });
      try {
        const done = await createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.deepEqual([done.text, done.attempts], ['Hello', 1]);
      } finally {
        await server.close();
      }
    });

    it('says so when a streamed request gets a stream with no events at all', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n > 1) return sendStream(res, ['ok']);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(': nothing to say\n\n');
      });
      try {
        const done = await createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.equal(done.attempts, 2);
        assert.match(notices[0]!.reason, /no stream events \(does this server stream\? set "stream": false for this agent\)/);
      } finally {
        await server.close();
      }
    });

    it('retries malformed JSON and an empty choices list', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n === 1) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('{"choices": [ oops');
        }
        if (n === 2) return sendJson(res, 200, { ...completionBody('x'), choices: [] });
        sendJson(res, 200, completionBody('fine'));
      });
      try {
        const done = await createAgent(agentConfig(server.url), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.equal(done.text, 'fine');
        assert.equal(done.attempts, 3);
        assert.match(notices[0]!.reason, /malformed/);
        assert.match(notices[1]!.reason, /no choices/);
      } finally {
        await server.close();
      }
    });

    it('says a page that is not JSON (a proxy, or a baseURL without /v1) is an HTML page, with its text', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n > 1) return sendJson(res, 200, completionBody('fine'));
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Sign in to the guest network</body></html>');
      });
      try {
        const done = await createAgent(agentConfig(server.url), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.equal(done.text, 'fine');
        assert.equal(notices[0]!.reason, 'malformed reply: not JSON: an HTML page (54 bytes): "Sign in to the guest network"');
      } finally {
        await server.close();
      }
    });

    it('says a page sent to a streamed request (a baseURL without /v1) is an HTML page, with its text, not a stream with no events', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n > 1) return sendStream(res, ['fine']);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body></body></html>');
      });
      try {
        const done = await createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock(), onRetry }).complete(ask, live());
        assert.equal(done.text, 'fine');
        assert.equal(notices[0]!.reason, 'malformed reply: not an event stream: an HTML page (86 bytes): "Welcome to nginx!"');
      } finally {
        await server.close();
      }
    });

    it('retries an attempt that exceeds timeoutMs, including a stream that stalls after its headers', async () => {
      const server = await startServer((_req, res, _body, n) => {
        if (n > 1) return sendStream(res, ['late but fine']);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': keep-alive\n\n');
      });
      try {
        const agent = createAgent(agentConfig(server.url, { stream: true, timeoutMs: 150 }), { clock: new FakeClock(), onRetry });
        const done = await agent.complete(ask, live());
        assert.equal(done.text, 'late but fine');
        assert.match(notices[0]!.reason, /timed out after 150 ms/);
      } finally {
        await server.close();
      }
    });

    it('throws CallError with the last reason once retries are spent', async () => {
      const server = await startServer((_req, res) => sendJson(res, 503, { error: { message: 'overloaded' } }));
      try {
        const agent = createAgent(agentConfig(server.url, { maxRetries: 2 }), { clock: new FakeClock() });
        await assert.rejects(agent.complete(ask, live()), (error: unknown) => {
          assert.ok(error instanceof CallError);
          assert.equal(error.message, 'agent "gpt": gave up after 3 attempts: 503 overloaded');
          assert.deepEqual([error.agent, error.attempts, error.status], ['gpt', 3, 503]);
          return true;
        });
        assert.equal(server.count, 3);
      } finally {
        await server.close();
      }
    });
  });

  describe(`${transport.label}: agent: faults that are final`, () => {
    it('fails a 401 at once, naming agent, status and server message but not the key', async () => {
      const server = await startServer((_req, res) => sendJson(res, 401, { error: { message: 'Incorrect API key', type: 'invalid_request_error' } }));
      try {
        const clock = new FakeClock();
        const agent = createAgent(agentConfig(server.url), { apiKey: 'sk-very-secret', clock });
        await assert.rejects(agent.complete(ask, live()), (error: unknown) => {
          assert.ok(error instanceof CallError);
          assert.equal(error.message, 'agent "gpt": 401 Incorrect API key');
          assert.equal(error.status, 401);
          assert.equal(error.attempts, 1);
          assert.doesNotMatch(String(error.stack), /sk-very-secret/);
          return true;
        });
        assert.equal(server.count, 1);
        assert.deepEqual(clock.sleeps, []);
      } finally {
        await server.close();
      }
    });

    it('keeps the key out of a reason the server echoes it in, retried or final', async () => {
      const echo = (req: { headers: Record<string, string | string[] | undefined> }): string => `key ${String(req.headers.authorization).replace('Bearer ', '')} is over quota`;
      const server = await startServer((req, res, _body, n) => sendJson(res, n === 1 ? 429 : 401, { error: { message: echo(req) } }));
      try {
        const notices: RetryNotice[] = [];
        const agent = createAgent(agentConfig(server.url), { apiKey: 'sk-very-secret', clock: new FakeClock(), onRetry: (n) => notices.push(n) });
        await assert.rejects(agent.complete(ask, live()), (error: unknown) => {
          assert.equal((error as Error).message, 'agent "gpt": 401 key [redacted key] is over quota');
          return true;
        });
        assert.equal(notices[0]!.reason, '429 key [redacted key] is over quota');
      } finally {
        await server.close();
      }
    });

    it('reads a top-level error message (vLLM style) on a 404', async () => {
      const server = await startServer((_req, res) =>
        sendJson(res, 404, { object: 'error', message: 'The model `m` does not exist.', type: 'NotFoundError', code: 404 }),
      );
      try {
        const agent = createAgent(agentConfig(server.url), { clock: new FakeClock() });
        await assert.rejects(agent.complete(ask, live()), /^CallError: agent "gpt": 404 The model `m` does not exist\.$/m);
        assert.equal(server.count, 1);
      } finally {
        await server.close();
      }
    });
  });

  describe(`${transport.label}: agent: abort`, () => {
    let server: TestServer;
    before(async () => {
      // Never answers: the request stays in flight until the client goes away.
      server = await startServer(() => undefined);
    });
    after(() => server.close());

    it('cancels the request in flight and rejects with the abort reason', async () => {
      const controller = new AbortController();
      const agent = createAgent(agentConfig(server.url, { stream: true }), { clock: new FakeClock() });
      const call = agent.complete(ask, controller.signal);
      await waitFor(() => server.count === 1);
      const reason = new Error('user cancelled');
      const started = Date.now();
      controller.abort(reason);
      await assert.rejects(call, (error) => error === reason);
      assert.ok(Date.now() - started < 1000);
    });

    it('cancels a backoff wait and rejects with the abort reason', () =>
      expectAbortDuringBackoff((url, clock, signal) => createAgent(agentConfig(url), { clock }).complete(ask, signal)));
  });

  describe(`${transport.label}: agent: limits`, () => {
    it('never has more than maxConcurrency calls in flight', async () => {
      let inFlight = 0;
      let peak = 0;
      // Replies are held until three calls are in flight at once (or the last call came), then
      // 100 ms more for a fourth to show; 2 s at most: a peak of 3 then does not depend on the
      // machine sending three within a few ms.
      let held: (() => void)[] = [];
      const release = (): void => {
        const now = held;
        held = [];
        now.forEach((reply) => reply());
      };
      const server = await startServer((_req, res) => {
        peak = Math.max(peak, ++inFlight);
        held.push(() => {
          inFlight--;
          sendJson(res, 200, completionBody('ok'));
        });
        setTimeout(release, inFlight >= 3 || server.count === 10 ? 100 : 2000);
      });
      try {
        const agent = createAgent(agentConfig(server.url, { maxConcurrency: 3 }), { clock: new FakeClock() });
        await Promise.all(Array.from({ length: 10 }, () => agent.complete(ask, live())));
        assert.equal(server.count, 10);
        assert.equal(peak, 3);
      } finally {
        await server.close();
      }
    });

    it('starts at most requestsPerMinute requests per rolling minute', async () => {
      const server = await startServer((_req, res) => sendJson(res, 200, completionBody('ok')));
      try {
        const clock = new FakeClock(false);
        const agent = createAgent(agentConfig(server.url, { requestsPerMinute: 2 }), { clock });
        const calls = [1, 2, 3].map(() => agent.complete(ask, live()));
        await Promise.all(calls.slice(0, 2));
        await waitFor(() => clock.pending === 1);
        assert.equal(server.count, 2);
        clock.advance(60_000);
        const third = await calls[2]!;
        assert.equal(server.count, 3);
        assert.equal(third.latencyMs, 60_000);
      } finally {
        await server.close();
      }
    });
  });
}

for (const transport of TRANSPORTS) suite(transport);
