import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { createAgent } from '../../../src/core/agents/agent';
import { connectionFault } from '../../../src/core/agents/faults';
import { CallError } from '../../../src/core/agents/types';
import { rewardSchema } from '../../../src/core/config/schema';
import { createPooledFetch } from '../../../src/core/http/pooled-fetch';
import { createReward } from '../../../src/core/rewards/create';
import { RewardError } from '../../../src/core/rewards/types';
import { EndpointDownError } from '../../../src/core/run/endpoint-down';
import { agentConfig, FakeClock } from '../agents/helpers';

/**
 * Ports the fetch standard blocks ("bad port"): X11's 6000, IRC's 6665-6669, 10080 and about 80
 * more. The extension's client (the runtime's fetch, as VS Code's is) refuses them without
 * connecting; the CLI's (undici's `request`) connects.
 */
const BLOCKED = 'http://127.0.0.1:6000';
const live = (): AbortSignal => new AbortController().signal;

describe('a port fetch blocks', () => {
  it("is refused by the built-in fetch with a TypeError whose cause is a bare Error('bad port')", async () => {
    const error = await fetch(`${BLOCKED}/`).catch((e: unknown) => e);
    assert.ok(error instanceof TypeError);
    assert.equal(error.message, 'fetch failed');
    assert.ok(error.cause instanceof Error);
    assert.equal(error.cause.message, 'bad port');
    assert.equal((error.cause as NodeJS.ErrnoException).code, undefined);
  });

  it('makes an agent on the built-in fetch unreachable at once, without retries, saying fetch refuses the port', async () => {
    const clock = new FakeClock();
    const agent = createAgent(agentConfig(BLOCKED, { maxRetries: 5 }), { clock, fetch: globalThis.fetch });
    const error = await agent.complete([{ role: 'user', content: 'Hi' }], live()).catch((e: unknown) => e);
    assert.ok(error instanceof CallError);
    assert.deepEqual([error.unreachable, error.attempts, clock.sleeps.length], ['blocked-port', 1, 0]);
    assert.equal(error.message, 'agent "gpt": connection failed: bad port: fetch refuses to connect to this port');
    // The run stops naming the field to change, and not "that the server is running": no server can help.
    const down = new EndpointDownError({ what: 'agent "gpt"', field: 'agents[0].baseURL', url: `${BLOCKED}/v1` }, error);
    assert.equal(
      down.message,
      'agent "gpt" cannot be reached at http://127.0.0.1:6000/v1 (agents[0].baseURL) and has not answered once in this run (connection failed: bad port: fetch refuses to connect to this port). fetch refuses port 6000 (the fetch standard blocks it): serve the endpoint on another port and change agents[0].baseURL.',
    );
  });

  it('makes an HTTP reward on the built-in fetch unreachable at once, without retries', async () => {
    const clock = new FakeClock();
    const reward = createReward(rewardSchema.parse({ type: 'vllm', baseURL: BLOCKED, model: 'rm' }), { task: 'instruction', clock, fetch: globalThis.fetch });
    const error = await reward.score({ messages: [{ role: 'user', content: 'Hi' }], response: 'Hello', promptId: 'p' }, live()).catch((e: unknown) => e);
    assert.ok(error instanceof RewardError);
    assert.deepEqual([error.unreachable, error.attempts, clock.sleeps.length], ['blocked-port', 1, 0]);
    assert.match(error.message, /^reward vllm: connection failed: bad port: fetch refuses to connect to this port \(POST/);
    const down = new EndpointDownError({ what: 'the reward endpoint (vllm)', field: 'reward.baseURL', url: BLOCKED }, error);
    assert.match(down.message, /\. fetch refuses port 6000 \(the fetch standard blocks it\): serve the endpoint on another port and change reward\.baseURL\.$/);
  });

  it('makes a judge on the built-in fetch say so too', async () => {
    const clock = new FakeClock();
    const reward = createReward(rewardSchema.parse({ type: 'judge', baseURL: `${BLOCKED}/v1`, model: 'j' }), { task: 'instruction', clock, fetch: globalThis.fetch });
    const error = await reward.score({ messages: [{ role: 'user', content: 'Hi' }], response: 'Hello', promptId: 'p' }, live()).catch((e: unknown) => e);
    assert.ok(error instanceof RewardError);
    assert.deepEqual([error.unreachable, error.attempts], ['blocked-port', 1]);
  });

  it('is told by the error, not by words: a refused connection whose message says "bad port" is retried and gets the usual advice', () => {
    // Our own wording, as a client that wraps errors with causeText writes it, over a plain refusal.
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    const fault = connectionFault(new TypeError('fetch failed (bad port: fetch refuses to connect to this port)', { cause: socket }));
    assert.deepEqual([fault.retryable, fault.unreachable], [true, 'refused']);
    const refused = new CallError('agent "gpt": gave up after 6 attempts: connection failed: proxy said "bad port: fetch refuses to connect to this port"', 'gpt', { attempts: 6, unreachable: 'refused' });
    const down = new EndpointDownError({ what: 'agent "gpt"', field: 'agents[0].baseURL', url: 'http://127.0.0.1:8000/v1' }, refused);
    assert.match(down.message, /\. Check agents\[0\]\.baseURL, and that the server is running\.$/);
    const reward = new RewardError('reward vllm: gave up after 6 attempts: connection failed: fetch failed (bad port: fetch refuses to connect to this port)', 'vllm', { unreachable: 'refused', attempts: 6 });
    const rewardDown = new EndpointDownError({ what: 'the reward endpoint (vllm)', field: 'reward.baseURL', url: 'http://127.0.0.1:8000' }, reward);
    assert.match(rewardDown.message, /\. Check reward\.baseURL, and that the server is running\.$/);
  });

  it("is reached by the CLI's pooled fetch", async () => {
    const server = createServer((_req, res) => res.end('open'));
    const port = await listenOnBlockedPort(server);
    try {
      const reply = await createPooledFetch()(`http://127.0.0.1:${port}/`);
      assert.equal(await reply.text(), 'open');
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`), (e: unknown) => e instanceof TypeError && (e.cause as Error).message === 'bad port');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

/** The first blocked port free on this machine (another program may hold one). */
async function listenOnBlockedPort(server: ReturnType<typeof createServer>): Promise<number> {
  for (const port of [6665, 6666, 6667, 6668, 6669, 6697, 10080]) {
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) return port;
  }
  throw new Error('no blocked port is free on this machine');
}
