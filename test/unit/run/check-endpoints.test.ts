import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallError, type ChatAgent } from '../../../src/core/agents/types';
import type { RewardConfig } from '../../../src/core/config/schema';
import { RewardError, type RewardInput, type RewardModel } from '../../../src/core/rewards/types';
import { checkEndpoints, checkLine } from '../../../src/core/run/check-endpoints';
import { FakeClock } from '../agents/helpers';
import { makeConfig } from './fakes';

/** An agent that answers `text` after `ms` of the fake clock, or throws `error`. */
function agent(name: string, clock: FakeClock, reply: { text?: string; error?: Error; ms?: number }): ChatAgent {
  return {
    name,
    complete: async () => {
      await clock.sleep(reply.ms ?? 0);
      if (reply.error) throw reply.error;
      return { text: reply.text ?? '', promptTokens: 5, completionTokens: 1, latencyMs: 0, costUsd: 0, attempts: 1 };
    },
  };
}

function reward(seen: RewardInput[], outcome: number | Error): RewardModel {
  return {
    name: 'r',
    score: async (input) => {
      seen.push(input);
      if (outcome instanceof Error) throw outcome;
      return { reward: outcome, attempts: 1 };
    },
  };
}

const live = (): AbortSignal => new AbortController().signal;
const vllm: RewardConfig = { type: 'vllm', baseURL: 'http://rm.example:8001', model: 'rm', endpoint: 'classify', timeoutMs: 1000 };

test('every agent and the reward are called once, and each says what it answered', async () => {
  const clock = new FakeClock();
  const config = { ...makeConfig({ agents: ['alpha', 'beta'] }), reward: vllm };
  const seen: RewardInput[] = [];
  const models = { agents: [agent('alpha', clock, { error: new CallError('agent "alpha": gave up after 6 attempts: 503 busy', 'alpha', { attempts: 6, status: 503 }) }), agent('beta', clock, { text: 'Ready.', ms: 120 })], reward: reward(seen, 0.75) };
  const checks = await checkEndpoints(config, models, live(), clock);
  assert.deepEqual(checks.map(checkLine), [
    'FAILED  agent "alpha" (agents[0].baseURL, http://127.0.0.1:9/v1): gave up after 6 attempts: 503 busy',
    'ok      agent "beta" (agents[1].baseURL, http://127.0.0.1:9/v1): answered in 120 ms: "Ready."',
    'ok      the reward endpoint (vllm) (reward.baseURL, http://rm.example:8001): scored an answer 0.75 in 0 ms',
  ]);
  // The reward scores an agent's own answer, as a run sends it one.
  assert.deepEqual(seen.map((s) => s.response), ['Ready.']);
});

test('a failure says what to check, as a run that stops at it would', async () => {
  const clock = new FakeClock();
  const config = { ...makeConfig({ agents: ['lost', 'locked', 'long'] }), reward: vllm };
  const lost = new CallError('agent "lost": gave up after 6 attempts: connection failed: getaddrinfo ENOTFOUND llm.invalid: no such host', 'lost', { attempts: 6, unreachable: 'no-host' });
  const locked = new CallError('agent "locked": 401 Incorrect API key provided.', 'locked', { attempts: 1, status: 401 });
  // A 400 of one call may be about its prompt alone: no advice a run would give only after three.
  const long = new CallError('agent "long": 400 prompt too long', 'long', { attempts: 1, status: 400 });
  const down = new RewardError('reward vllm: gave up after 6 attempts: connection failed: connect ECONNREFUSED 127.0.0.1:8001 (POST http://rm.example:8001/classify)', 'vllm', { unreachable: 'refused', attempts: 6, request: ' (POST http://rm.example:8001/classify)' });
  const models = { agents: [agent('lost', clock, { error: lost }), agent('locked', clock, { error: locked }), agent('long', clock, { error: long })], reward: reward([], down) };
  const checks = await checkEndpoints(config, models, live(), clock);
  assert.deepEqual(checks.map((c) => [c.ok, c.said]), [
    [false, "gave up after 6 attempts: connection failed: getaddrinfo ENOTFOUND llm.invalid: no such host. Check the host name in agents[0].baseURL, and this machine's network and DNS."],
    [false, '401 Incorrect API key provided. The endpoint did not accept the API key: check the key set for it (VS Code: TOA Studio: Set API Key; the CLI: no key was sent, as agents[1].apiKeyEnv is not set: set it to the environment variable that holds the key).'],
    [false, '400 prompt too long'],
    [false, 'gave up after 6 attempts: connection failed: connect ECONNREFUSED 127.0.0.1:8001. Check reward.baseURL, and that the server is running.'],
  ]);
});

test('a reference check has nothing to call; a command is run; a URL hides its query values', async () => {
  const clock = new FakeClock();
  const reference = makeConfig({ agents: ['alpha'] });
  const agents = [agent('alpha', clock, { text: 'ready' })];
  const [, check] = await checkEndpoints(reference, { agents, reward: reward([], 1) }, live(), clock);
  assert.equal(checkLine(check!), `ok      the reward check (reference): nothing to call (reward.type "reference" checks answers against each row's reference)`);
  const command = { ...reference, reward: { type: 'command', command: ['./score.py'], timeoutMs: 1000 } satisfies RewardConfig };
  const notStarted = new RewardError('reward command: cannot run ./score.py: spawn ./score.py ENOENT', 'command', { unreachable: 'no-program' });
  const [, commandCheck] = await checkEndpoints(command, { agents, reward: reward([], notStarted) }, live(), clock);
  assert.equal(checkLine(commandCheck!), `FAILED  the reward command (reward.command): cannot run ./score.py: spawn ./score.py ENOENT. Check reward.command: the program must exist and be executable (it runs in the config file's folder).`);
  const http = { ...reference, reward: { type: 'http', url: 'http://scorer.example/score?key=s3cret', headers: {}, bodyTemplate: {}, scorePath: '$.score', apiKeyHeader: 'Authorization', timeoutMs: 1000 } satisfies RewardConfig };
  const [, httpCheck] = await checkEndpoints(http, { agents, reward: reward([], 2) }, live(), clock);
  assert.equal(httpCheck!.endpoint, 'the reward endpoint (http) (reward.url, http://scorer.example/score?key=…)');
});

test('a cancelled check throws instead of reporting the endpoints failed', async () => {
  const clock = new FakeClock();
  const controller = new AbortController();
  const cancelling: ChatAgent = {
    name: 'alpha',
    complete: async () => {
      controller.abort();
      throw new CallError('agent "alpha": aborted', 'alpha', { attempts: 1 });
    },
  };
  await assert.rejects(checkEndpoints(makeConfig({ agents: ['alpha'] }), { agents: [cancelling], reward: reward([], 1) }, controller.signal, clock), { name: 'AbortError' });
});
