import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryLines } from '../../../src/core/run/retry-lines';

const REFUSED = 'connection failed: connect ECONNREFUSED 127.0.0.1:8899';

/** RetryLines on an injected clock, with the lines it wrote. */
function retryLines(everyMs = 5_000): { retries: RetryLines; lines: string[]; at(ms: number): void } {
  const lines: string[] = [];
  let clock = 0;
  return { retries: new RetryLines((line) => lines.push(line), everyMs, () => clock), lines, at: (ms) => (clock = ms) };
}

test('an endpoint that is down is said once in full, then counted at most every interval and at the end', () => {
  const { retries, lines, at } = retryLines();
  // 8 calls x 5 retries, as a run against a closed port makes them.
  for (let attempt = 1; attempt <= 5; attempt++) {
    at((attempt - 1) * 2_000);
    for (let call = 0; call < 8; call++) retries.notice({ agent: 'small', attempt, reason: REFUSED, delayMs: 400 * attempt });
  }
  retries.flush();
  assert.deepEqual(lines, [
    `retry: agent "small" attempt 1 after ${REFUSED} (waiting 400 ms)`,
    // The first notice at 6 s: 7 + 8 + 8 after the first line, and this one.
    `retry: agent "small": 24 more retries (${REFUSED})`,
    `retry: agent "small": 15 more retries (${REFUSED})`,
  ]);
  retries.flush();
  assert.equal(lines.length, 3, 'a count is said once');
});

test('each endpoint and reason has its own first line and count; numbers that change between retries do not make a new reason', () => {
  const { retries, lines } = retryLines();
  retries.notice({ agent: 'large', attempt: 1, reason: '429 Rate limit reached; try again in 1.2s', delayMs: 1200 });
  retries.notice({ agent: 'large', attempt: 2, reason: '429 Rate limit reached; try again in 845ms', delayMs: 845 });
  retries.notice({ agent: 'large', attempt: 1, reason: '503 Rate limit reached; try again in 1.2s', delayMs: 1200 });
  retries.notice({ agent: 'medium', attempt: 1, reason: '429 Rate limit reached; try again in 2s', delayMs: 2000 });
  retries.notice({ agent: 'vllm:sim-reward', reward: true, attempt: 1, reason: '429 Rate limit reached; try again in 2s', delayMs: 2000 });
  retries.notice({ agent: 'vllm:sim-reward', reward: true, attempt: 2, reason: '429 Rate limit reached; try again in 3s', delayMs: 3000 });
  retries.notice({ agent: 'vllm:sim-reward', reward: true, attempt: 3, reason: '429 Rate limit reached; try again in 4s', delayMs: 4000 });
  retries.flush();
  assert.deepEqual(lines, [
    'retry: agent "large" attempt 1 after 429 Rate limit reached; try again in 1.2s (waiting 1200 ms)',
    'retry: agent "large" attempt 1 after 503 Rate limit reached; try again in 1.2s (waiting 1200 ms)',
    'retry: agent "medium" attempt 1 after 429 Rate limit reached; try again in 2s (waiting 2000 ms)',
    'retry: reward vllm:sim-reward attempt 1 after 429 Rate limit reached; try again in 2s (waiting 2000 ms)',
    // The count gives the latest one's words.
    'retry: agent "large": 1 more retry (429 Rate limit reached; try again in 845ms)',
    'retry: reward vllm:sim-reward: 2 more retries (429 Rate limit reached; try again in 4s)',
  ]);
});

test("the same 5xx with a new request ID each time (OpenAI's req_<hex>, a UUID, a hex trace ID) is one reason", () => {
  const { retries, lines } = retryLines();
  const ids = ['req_5f3a9c0be1d24e7f8a6b', 'req_0c1d2e3f4a5b6c7d8e9f', 'req_abcdefabcdefabcdefab', 'req_9e8d7c6b5a4f3e2d1c0b', 'req_d4c3b2a1f0e9d8c7b6a5', 'req_1a2b3c4d5e6f7a8b9c0d'];
  const openai = (id: string): string => `500 The server had an error while processing your request. Sorry about that! (Please include the request ID ${id} in your message.)`;
  ids.forEach((id, i) => retries.notice({ agent: 'gpt', attempt: i + 1, reason: openai(id), delayMs: 500 }));
  retries.notice({ agent: 'proxy', attempt: 1, reason: '502 upstream failed (trace 1c7f2a9e-4b3d-4e5f-8a9b-0c1d2e3f4a5b)', delayMs: 500 });
  retries.notice({ agent: 'proxy', attempt: 2, reason: '502 upstream failed (trace a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d)', delayMs: 500 });
  retries.notice({ agent: 'vllm', attempt: 1, reason: '503 engine busy, id deadbeefcafe0042', delayMs: 500 });
  retries.notice({ agent: 'vllm', attempt: 2, reason: '503 engine busy, id feedfacebadc0ffee', delayMs: 500 });
  retries.flush();
  assert.deepEqual(lines, [
    `retry: agent "gpt" attempt 1 after ${openai(ids[0]!)} (waiting 500 ms)`,
    'retry: agent "proxy" attempt 1 after 502 upstream failed (trace 1c7f2a9e-4b3d-4e5f-8a9b-0c1d2e3f4a5b) (waiting 500 ms)',
    'retry: agent "vllm" attempt 1 after 503 engine busy, id deadbeefcafe0042 (waiting 500 ms)',
    `retry: agent "gpt": 5 more retries (${openai(ids[5]!)})`,
    'retry: agent "proxy": 1 more retry (502 upstream failed (trace a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d))',
    'retry: agent "vllm": 1 more retry (503 engine busy, id feedfacebadc0ffee)',
  ]);
});
