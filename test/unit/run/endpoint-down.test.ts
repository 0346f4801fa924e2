import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallError } from '../../../src/core/agents/types';
import { RewardError } from '../../../src/core/rewards/types';
import { EndpointDownError } from '../../../src/core/run/endpoint-down';
import type { NoConnection } from '../../../src/core/util/errors';

test('the advice of an endpoint that cannot be reached follows from why no connection was made', () => {
  // A command's (no-program) is below: it has no URL.
  const advice: Record<Exclude<NoConnection, 'no-program'>, string> = {
    refused: 'Check agents[1].baseURL, and that the server is running.',
    'no-host': "Check the host name in agents[1].baseURL, and this machine's network and DNS.",
    'no-route': "Check agents[1].baseURL, and this machine's network: no route leads to that address.",
    'blocked-port': 'fetch refuses port 6000 (the fetch standard blocks it): serve the endpoint on another port and change agents[1].baseURL.',
  };
  for (const [why, check] of Object.entries(advice) as Array<[NoConnection, string]>) {
    const cause = new CallError('agent "qwen": gave up after 6 attempts: connection failed: the cause', 'qwen', { attempts: 6, unreachable: why });
    const down = new EndpointDownError({ what: 'agent "qwen"', field: 'agents[1].baseURL', url: 'http://llm.example:6000/v1' }, cause);
    assert.equal(down.message, `agent "qwen" cannot be reached at http://llm.example:6000/v1 (agents[1].baseURL) and has not answered once in this run (gave up after 6 attempts: connection failed: the cause). ${check}`, why);
  }
});

test('a reward command that cannot be started names its field, without a URL', () => {
  const cause = new RewardError('reward command: cannot run ./score.py: spawn ./score.py ENOENT', 'command', { unreachable: 'no-program' });
  const down = new EndpointDownError({ what: 'the reward command', field: 'reward.command' }, cause);
  assert.equal(down.message, "the reward command cannot be reached and has not answered once in this run (cannot run ./score.py: spawn ./score.py ENOENT). Check reward.command: the program must exist and be executable (it runs in the config file's folder).");
});
