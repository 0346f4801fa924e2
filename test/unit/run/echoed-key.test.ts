import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { CallError, type RetryNotice } from '../../../src/core/agents/types';
import { parseConfig } from '../../../src/core/config/load';
import { Curator } from '../../../src/core/curation';
import { createModels } from '../../../src/core/models';
import { RewardError } from '../../../src/core/rewards/types';
import { runPrompts } from '../../../src/core/run/scheduler';
import { redact, redactKeys } from '../../../src/core/util/redact';
import type { RunEvent } from '../../../src/shared/events';
import { completionBody, FakeClock, sendJson, startServer } from '../agents/helpers';
import { makeRows } from './fakes';

const AGENT_KEY = 'sk-agent-4fZq9TtLmW2x';
const JUDGE_KEY = 'jk-judge-Hq27vPzz01';

/** The key a request was sent, as a proxy that echoes it would see it. */
function sentKey(headers: Record<string, string | string[] | undefined>): string {
  return String(headers.authorization).replace(/^Bearer /, '');
}

test("a key a server echoes in an answer or an error reaches no row, trace, event, log line or error, nor another model", async () => {
  // The agents' endpoint echoes its key in every answer, and in the error body it sends for
  // Question 1 (a 500 first, retried, then a 400 that fails the prompt).
  let rejected = 0;
  const agents = await startServer((req, res, body) => {
    const key = sentKey(req.headers);
    if (!body.includes('Question 1:')) return sendJson(res, 200, completionBody(`The answer, sent with key ${key}.`));
    sendJson(res, ++rejected === 1 ? 500 : 400, { error: { message: `rejected request from ${key}` } });
  });
  // The judge scores every answer but Question 2's, where its reply holds no score but its key.
  const judge = await startServer((req, res, body) => sendJson(res, 200, completionBody(body.includes('Question 2:') ? `I will not score this with ${sentKey(req.headers)}.` : 'Score: 7')));
  try {
    const config = parseConfig({
      agents: ['alpha', 'beta'].map((name) => ({ name, baseURL: `${agents.url}/v1`, model: name, stream: false, maxRetries: 1 })),
      reward: { type: 'judge', baseURL: `${judge.url}/v1`, model: 'judge', min: 0, max: 10, apiKeyEnv: 'JUDGE_KEY' },
      search: { strategy: 'toa', budget: 4, seed: 1 },
      run: { concurrency: 2 },
    });
    const notices: RetryNotice[] = [];
    const models = createModels(config, {
      apiKeyFor: () => AGENT_KEY,
      rewardKey: (env) => (env === 'JUDGE_KEY' ? JUDGE_KEY : undefined),
      clock: new FakeClock(),
      onRetry: (n) => notices.push(n),
    });
    const lines: string[] = [];
    const sink = { append: async (more: string[]) => void lines.push(...more) };
    const curator = new Curator({ sft: sink, preference: sink, trace: sink }, config.output, { kind: 'all' });
    const events: RunEvent[] = [];
    const summary = await runPrompts({
      config,
      rows: makeRows(4),
      ...models,
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
      onTree: async (tree, row, info) => void (await curator.recordTree(tree, row, info)),
      clock: new FakeClock(),
    });

    assert.deepEqual([summary.totals.done, summary.totals.failed], [2, 2]);
    const failures = events.flatMap((e) => (e.type === 'prompt-failed' ? [e.error] : []));
    assert.match(failures.join('\n'), /agent "(alpha|beta)": 400 rejected request from \[redacted key\]/);
    assert.match(failures.join('\n'), /reward judge: no score found in the judge's reply "I will not score this with \[redacted key\]\."/);
    assert.ok(notices.some((n) => n.reason === '500 rejected request from [redacted key]'), JSON.stringify(notices));
    const sft = lines.filter((line) => line.startsWith('{"messages"'));
    assert.ok(sft.length === 2 && sft.every((line) => line.includes('The answer, sent with key [redacted key].')), sft.join('\n'));
    // Nor is it sent on: refinements quote earlier answers to the agents, and the judge reads them.
    const seen = JSON.stringify({ events, notices, lines, sent: [...agents.bodies, ...judge.bodies] });
    for (const key of [AGENT_KEY, JUDGE_KEY]) assert.ok(!seen.includes(key), `${key} leaked: ${seen.slice(Math.max(0, seen.indexOf(key) - 200), seen.indexOf(key) + 40)}`);
  } finally {
    await agents.close();
    await judge.close();
  }
});

/** An agent (a proxy that echoes keys) and a judge, on their servers, built as a run builds them. */
async function echoingModels(agentReply: (res: ServerResponse) => void, judgeReply: string, judgeKey: string) {
  const agents = await startServer((_req, res) => agentReply(res));
  const judge = await startServer((_req, res) => sendJson(res, 200, completionBody(judgeReply)));
  const config = parseConfig({
    agents: [{ name: 'alpha', baseURL: `${agents.url}/v1`, model: 'alpha', stream: false, maxRetries: 0 }],
    reward: { type: 'judge', baseURL: `${judge.url}/v1`, model: 'judge', min: 0, max: 10, apiKeyEnv: 'JUDGE_KEY' },
  });
  const models = createModels(config, { apiKeyFor: () => AGENT_KEY, rewardKey: () => judgeKey, clock: new FakeClock() });
  const close = async (): Promise<void> => void (await Promise.all([agents.close(), judge.close()]));
  return { ...models, close };
}

async function failure(call: Promise<unknown>): Promise<string> {
  return call.then(() => assert.fail('the call should fail'), (error: Error) => error.message);
}

const signal = new AbortController().signal;
const ask = [{ role: 'user' as const, content: 'Question?' }];

test("a judge's reply that ends in its key, where the 200-character quote would cut through it, is quoted without any of the key", async () => {
  const key = 'jk-judge-Hq27vPzz01aBcDeFgH';
  const reply = `${'No score. '.repeat(17)}1234 ${key}`;
  assert.equal([reply.length - key.length - 1, key.length].join(), '174,27');
  const models = await echoingModels((res) => sendJson(res, 200, completionBody('4')), reply, key);
  try {
    const said = await failure(models.reward.score({ messages: ask, response: '4' }, signal));
    // The key is taken out before the quote is cut, so the reply now fits whole.
    assert.equal(said, `reward judge: no score found in the judge's reply "${'No score. '.repeat(17)}1234 [redacted key]"`);
  } finally {
    await models.close();
  }
});

test("a proxy's error that echoes another endpoint's key where the 300-character server text is cut shows none of its start", async () => {
  const models = await echoingModels((res) => sendJson(res, 400, { error: { message: `${'bad request '.repeat(24)}from ${JUDGE_KEY} and more` } }), 'Score: 7', JUDGE_KEY);
  try {
    const said = await failure(models.agents[0]!.complete(ask, signal));
    assert.ok(said.endsWith('from [redacted key]…'), said);
    assert.ok(!said.includes(JUDGE_KEY.slice(0, 4)), said);
  } finally {
    await models.close();
  }
});

test('an answer cut off at max_tokens in the middle of a key ends without its start; an answer that was not cut is kept as it is', async () => {
  const cutAnswer = (text: string, finish: string) => (res: ServerResponse) => sendJson(res, 200, { ...completionBody(text), choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }] });
  for (const [finish, text, kept] of [
    ['length', `The key is ${AGENT_KEY.slice(0, 12)}`, 'The key is [redacted key]'],
    ['stop', `Keys start ${AGENT_KEY.slice(0, 8)}`, `Keys start ${AGENT_KEY.slice(0, 8)}`],
  ]) {
    const models = await echoingModels(cutAnswer(text!, finish!), 'Score: 7', JUDGE_KEY);
    try {
      assert.equal((await models.agents[0]!.complete(ask, signal)).text, kept, finish);
    } finally {
      await models.close();
    }
  }
});

test('every key is replaced whole, the longest first; keys under 8 characters (placeholders such as EMPTY) are left', () => {
  assert.equal(redactKeys(`a ${AGENT_KEY}, b ${AGENT_KEY}x and ${JUDGE_KEY}`, [JUDGE_KEY, AGENT_KEY]), 'a [redacted key], b [redacted key]x and [redacted key]');
  assert.equal(redactKeys(`${AGENT_KEY}-v2`, [AGENT_KEY, `${AGENT_KEY}-v2`]), '[redacted key]');
  assert.equal(redactKeys('EMPTY is a word', ['EMPTY', 'short1']), 'EMPTY is a word');
});

test('a key a cut went through loses its start too, with the same rule as one key, and a longer key that holds a shorter one goes whole', () => {
  const long = `${AGENT_KEY}-v2`;
  assert.equal(redactKeys(`a ${AGENT_KEY.slice(0, 9)}… b ${long.slice(0, 22)}…`, [AGENT_KEY, long]), 'a [redacted key]… b [redacted key]…');
  assert.equal(redactKeys(`ends ${JUDGE_KEY.slice(0, 6)}`, [JUDGE_KEY], true), 'ends [redacted key]');
  assert.equal(redactKeys(`ends ${JUDGE_KEY.slice(0, 6)}`, [JUDGE_KEY]), `ends ${JUDGE_KEY.slice(0, 6)}`);
  assert.equal(redactKeys('sk-1234 is short', ['sk-1234']), redact('sk-1234 is short', 'sk-1234'));
});

test('an answer with a long run without spaces (a base64 blob) is searched for cut keys in linear time', () => {
  // A regex over (\S+)… backtracked once per position of the run: 100,000 characters took about 10 s a key.
  const blob = 'A'.repeat(100_000);
  const started = performance.now();
  for (const cutAtEnd of [false, true]) assert.equal(redactKeys(`${blob} and more`, [AGENT_KEY, JUDGE_KEY], cutAtEnd), `${blob} and more`);
  assert.ok(performance.now() - started < 2_000, `${Math.round(performance.now() - started)} ms`);
});

test('a failure said without the keys keeps all else the run decides by (status, why no connection was made, a refused field, the cost)', () => {
  const call = new CallError(`agent "a": ${AGENT_KEY}`, 'a', { attempts: 2, status: 503, unreachable: 'blocked-port', spent: { promptTokens: 1, completionTokens: 2, costUsd: 0.5 }, refused: true });
  const reward = new RewardError(`reward vllm: ${JUDGE_KEY} (POST http://h/score)`, 'vllm', { unreachable: 'no-host', attempts: 3, refused: true, status: 401, request: ' (POST http://h/score)' });
  for (const error of [call, reward]) {
    const said = error.withMessage('without the key');
    assert.equal(said.message, 'without the key');
    assert.deepEqual({ ...said }, { ...error }, error.name);
  }
});
