import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAgent } from '../../../src/core/agents/agent';
import type { ChatAgent } from '../../../src/core/agents/types';
import { rewardSchema } from '../../../src/core/config/schema';
import { createReward } from '../../../src/core/rewards/create';
import { RequestRefusedError } from '../../../src/core/run/request-refused';
import { runPrompts } from '../../../src/core/run/scheduler';
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
        // Not retried (a 4xx other than 408/409/429), and stopped long before 50 prompts' calls.
        assert.ok(server.count <= 2, `${server.count} requests to the rejecting endpoint`);
        assert.ok(options.events.filter((e) => e.type === 'prompt-queued').length < 10, 'the run stopped instead of failing all 50 prompts');
      } finally {
        await server.close();
      }
    });
  }

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

  it('an agent that answered before and is then refused (a key revoked mid-run) fails only its prompts', async () => {
    let calls = 0;
    const server = await startServer((_req, res) => {
      if (++calls === 1) return sendJson(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
      sendJson(res, 401, { error: { message: 'key revoked' } });
    });
    try {
      const world = new FakeWorld();
      const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 });
      const summary = await runPrompts(runOptions(world, config, makeRows(3), { agents: withRealGamma(world, config, server.url) }));
      assert.equal(summary.cancelled, false);
      assert.equal(summary.totals.done + summary.totals.failed, 3);
      assert.ok(summary.totals.failed >= 1);
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
