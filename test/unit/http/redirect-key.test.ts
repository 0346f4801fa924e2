import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAgent } from '../../../src/core/agents/agent';
import { rewardSchema } from '../../../src/core/config/schema';
import { createReward } from '../../../src/core/rewards/create';
import { agentConfig, completionBody, sendJson, startServer } from '../agents/helpers';
import { TRANSPORTS } from './transports';

const KEY = 'sk-redirect-test-123456';
const live = (): AbortSignal => new AbortController().signal;

/**
 * A key goes only to the origin it is configured for: an endpoint that answers with a redirect to
 * another origin (here 127.0.0.1 -> localhost: another host, so another origin) gets the request
 * followed, but not the key. Both clients: the extension's fetch and the CLI's pooled one.
 */
for (const transport of TRANSPORTS) {
  describe(`${transport.label}: redirects and the key`, () => {
    it('an agent redirected to another origin sends it no Authorization; within its origin it does', async () => {
      const target = await startServer((req, res) => (req.url === '/v1/chat/completions' ? sendJson(res, 200, completionBody('ok')) : sendJson(res, 404, {})));
      const other = target.url.replace('127.0.0.1', 'localhost');
      const redirecting = await startServer((req, res) => void res.writeHead(307, { location: req.url === '/v1/chat/completions' ? `${other}/v1/chat/completions` : '/v1/chat/completions' }).end());
      try {
        const agent = createAgent(agentConfig(redirecting.url, { maxRetries: 0 }), { apiKey: KEY, fetch: transport.fetch });
        assert.equal((await agent.complete([{ role: 'user', content: 'q' }], live())).text, 'ok');
        assert.equal(redirecting.headers[0]!.authorization, `Bearer ${KEY}`, 'the configured origin gets it');
        assert.equal(target.headers.length, 1);
        assert.equal(target.headers[0]!.authorization, undefined, 'the other origin does not');
      } finally {
        await Promise.all([target.close(), redirecting.close()]);
      }
    });

    it('a reward redirected to another origin sends it no Authorization', async () => {
      const target = await startServer((_req, res) => sendJson(res, 200, { score: 0.5 }));
      const redirecting = await startServer((_req, res) => void res.writeHead(308, { location: `${target.url.replace('127.0.0.1', 'localhost')}/score` }).end());
      try {
        const reward = createReward(rewardSchema.parse({ type: 'http', url: `${redirecting.url}/score`, scorePath: '$.score', apiKeyEnv: 'K' }), { task: 'instruction', apiKey: () => KEY, fetch: transport.fetch });
        assert.equal((await reward.score({ messages: [{ role: 'user', content: 'q' }], response: 'a', promptId: 'p' }, live())).reward, 0.5);
        assert.equal(redirecting.headers[0]!.authorization, `Bearer ${KEY}`);
        assert.equal(target.headers[0]!.authorization, undefined);
      } finally {
        await Promise.all([target.close(), redirecting.close()]);
      }
    });
  });
}
