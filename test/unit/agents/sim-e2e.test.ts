import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAgents } from '../../../src/core/agents/agent';
import type { RetryNotice } from '../../../src/core/agents/types';
import type { ChatMessage } from '../../../src/core/chat';
import { rewardSchema } from '../../../src/core/config/schema';
import { createReward } from '../../../src/core/rewards/create';
import { buildPlayMessages, resolveTemplates } from '../../../src/core/templates';
import { SIM_REWARD_MODEL, startSim } from '../../../src/sim';
import { agentConfig, FakeClock } from './helpers';

describe('end to end against the simulated endpoints', () => {
  it('agents and the vLLM reward get through injected faults (429, 500, cut streams, malformed JSON)', async () => {
    const sim = await startSim({
      seed: 3,
      faults: { rate429: 0.15, retryAfterSeconds: 2, rate500: 0.15, rateCut: 0.15, rateMalformed: 0.15 },
      rewardFaults: true,
    });
    try {
      const clock = new FakeClock();
      const notices: RetryNotice[] = [];
      const onRetry = (n: RetryNotice): void => void notices.push(n);
      const configs = [
        agentConfig(sim.url, { name: 'large', model: 'sim-large', stream: true, maxRetries: 12 }),
        agentConfig(sim.url, { name: 'small', model: 'sim-small', stream: false, maxRetries: 12 }),
      ];
      const agents = createAgents(configs, { apiKeyFor: () => undefined, clock, onRetry });
      const reward = createReward(rewardSchema.parse({ type: 'vllm', baseURL: sim.url, model: SIM_REWARD_MODEL }), { task: 'instruction', clock, onRetry });
      const templates = resolveTemplates('instruction');
      const signal = new AbortController().signal;

      for (let i = 0; i < 8; i++) {
        const row = { id: `p${i}`, messages: [{ role: 'user', content: `Write a haiku about the number ${i}.` }] as ChatMessage[] };
        const [agent, config] = [agents[i % 2]!, configs[i % 2]!];
        const first = await agent.complete(buildPlayMessages({ agent: i % 2, mode: 'scratch', sources: [] }, row, config, templates), signal);
        const refined = await agent.complete(buildPlayMessages({ agent: i % 2, mode: 'refine', sources: [first.text] }, row, config, templates), signal);
        for (const text of [first.text, refined.text]) {
          assert.match(text, /\[sim:[0-9a-f]+\]/);
          assert.ok(sim.trueQuality(text) !== undefined);
          const score = (await reward.score({ messages: row.messages, response: text, promptId: row.id }, signal)).reward;
          assert.ok(Number.isFinite(score));
        }
      }
      const faults = sim.counters().faults;
      const injected = faults['429'] + faults['500'] + faults.cut + faults.malformed;
      assert.ok(injected > 0, 'the sim injected no faults; the test would prove nothing');
      assert.equal(notices.length, injected);
      assert.ok(notices.some((n) => n.agent === 'vllm') && notices.some((n) => n.agent === 'large'));
      assert.ok(clock.sleeps.includes(2000), 'Retry-After from a 429 was not honoured');
    } finally {
      await sim.close();
    }
  });
});
