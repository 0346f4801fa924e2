import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallError } from '../../../src/core/agents/types';
import { sendRecorded } from '../../helpers/recorded-replies';
import { callAgent, completionBody, sendJson, sendStream, type CallOutcome } from './helpers';

/**
 * Replies in the shapes OpenRouter, OpenAI, Azure, vLLM and DeepSeek document, written from
 * their documentation and issue reports (not captured from live servers) in
 * test/fixtures/endpoint-replies, each file naming its source, and sent byte for byte. A reply that is
 * not a whole answer must never be scored: it is retried, or fails with the server's own words.
 */

/** The first request gets the recording, later ones a good reply (streamed or not, as the agent asks). */
function thenGood(name: string, stream: boolean): Parameters<typeof callAgent>[0] {
  return (_req, res, _body, n) => {
    if (n === 1) return sendRecorded(res, name);
    if (stream) return sendStream(res, ['ok']);
    sendJson(res, 200, completionBody('ok'));
  };
}

function failure(outcome: CallOutcome): CallError {
  assert.ok(outcome.result instanceof CallError, `expected a CallError, got ${JSON.stringify(outcome.result)}`);
  return outcome.result;
}

describe('OpenRouter', () => {
  it('a provider error inside the choice of a 200 reply is retried with its message, not called an empty reply', async () => {
    const { result, notices } = await callAgent(thenGood('openrouter-in-band-choice-error', false));
    assert.equal(result instanceof Error ? result.message : result.text, 'ok');
    assert.deepEqual(notices.map((n) => n.reason), ['server error in the reply: This model is currently experiencing high demand.']);
  });

  it('a 200 whose body is an error is retried with the provider named and its own message', async () => {
    const { result, notices } = await callAgent(thenGood('openrouter-error-body-200', false));
    assert.equal(result instanceof Error ? result.message : result.text, 'ok');
    assert.deepEqual(notices.map((n) => n.reason), ['server error in the reply: Provider returned error (DeepInfra: upstream connect error or disconnect/reset before headers)']);
  });

  it("'Provider returned error' says what the provider said: a 400 fails at once, a quota 429 is retried", async () => {
    const bad = await callAgent((_req, res) => sendRecorded(res, 'openrouter-provider-error-400'));
    assert.equal(failure(bad).message, 'agent "gpt": 400 Provider returned error (Stealth: ERROR)');
    assert.equal(bad.count, 1);
    const quota = await callAgent(thenGood('openrouter-provider-quota-429', false));
    assert.deepEqual(quota.notices.map((n) => n.reason), ['429 Provider returned error (Google AI Studio: You exceeded your current quota, please check your plan and billing details.)']);
  });

  it('the documented mid-stream error event after some text is retried; the text is not the answer', async () => {
    const { result, notices } = await callAgent(thenGood('openrouter-stream-error-event', true), { stream: true });
    assert.equal(result instanceof Error ? result.message : result.text, 'ok');
    assert.deepEqual(notices.map((n) => n.reason), ['server error mid-stream: Provider disconnected unexpectedly']);
  });

  it("an error only inside a streamed choice (finish_reason 'error') is retried, and its tokens are counted", async () => {
    const { result, notices } = await callAgent(thenGood('openrouter-stream-choice-error', true), { stream: true });
    assert.ok(!(result instanceof Error), String(result));
    assert.equal(result.text, 'ok');
    assert.deepEqual(notices.map((n) => n.reason), ['server error in the reply: Upstream idle timeout']);
    assert.equal(result.completionTokens, 3 + 1, "the failed attempt's 3 tokens, then the good reply's 1");
  });
});

describe('OpenAI', () => {
  it("an account out of credit (a 429 of type insufficient_quota) fails at once, saying so; a rate limit's 429 is retried", async () => {
    for (const stream of [false, true]) {
      const { result, notices, count } = await callAgent(thenGood('openai-insufficient-quota-429', stream), { stream });
      const error = failure({ result, notices, count });
      assert.match(error.message, /^agent "gpt": 429 You exceeded your current quota, please check your plan and billing details\./);
      assert.deepEqual([error.status, error.noCredit, error.attempts, count, notices], [429, true, 1, 1, []], `stream ${stream}`);
    }
    const limited = await callAgent((_req, res, _body, n) => (n === 1 ? sendJson(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }) : sendJson(res, 200, completionBody('ok'))));
    assert.equal(limited.result instanceof Error ? limited.result.message : limited.result.text, 'ok');
    assert.deepEqual(limited.notices.map((n) => n.reason), ['429 Rate limit reached for requests']);
  });
});

describe('content filters (OpenAI, Azure)', () => {
  it('finish_reason content_filter fails at once, streamed or not: the text before it is never scored', async () => {
    const message = `agent "gpt": no answer: the server's content filter stopped the reply (finish_reason content_filter)`;
    const whole = await callAgent((_req, res) => sendRecorded(res, 'openai-content-filter'), { price: { inputPerMillion: 1e6, outputPerMillion: 1e6 } });
    assert.equal(failure(whole).message, message);
    assert.equal(whole.count, 1);
    assert.deepEqual(failure(whole).spent, { promptTokens: 14, completionTokens: 40, costUsd: 54 });
    const streamed = await callAgent((_req, res) => sendRecorded(res, 'azure-content-filter-stream'), { stream: true });
    assert.equal(failure(streamed).message, message);
    assert.equal(streamed.count, 1);
  });
});

describe('replies a server cut short (vLLM, DeepSeek)', () => {
  const cases = [
    { name: 'vllm-abort-stream', stream: true, reason: 'no answer: the server aborted the reply (finish_reason abort)' },
    { name: 'vllm-error-finish', stream: false, reason: 'no answer: the server failed while replying (finish_reason error)' },
    { name: 'deepseek-insufficient-resource', stream: false, reason: 'no answer: the server ran out of resources while replying (finish_reason insufficient_system_resource)' },
  ];
  for (const { name, stream, reason } of cases) {
    it(`${name}: the text so far is not the answer; retried with the finish reason`, async () => {
      const { result, notices } = await callAgent(thenGood(name, stream), { stream });
      assert.equal(result instanceof Error ? result.message : result.text, 'ok');
      assert.deepEqual(notices.map((n) => n.reason), [reason]);
    });
  }
});

describe("long server bodies (vLLM's traceback, nginx's page): said by what matters, shortened once in core", () => {
  const valueError = "ValueError: This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (1024 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.";

  it("a 400 whose message is a Python traceback fails with the exception it ends with, not the server's file names", async () => {
    const outcome = await callAgent((_req, res) => sendRecorded(res, 'vllm-traceback-400'));
    assert.equal(failure(outcome).message, `agent "gpt": 400 ${valueError}`);
    assert.equal(outcome.count, 1);
  });

  it("a proxy's 502 HTML page is retried, said as a page with its text", async () => {
    for (const stream of [false, true]) {
      const { result, notices } = await callAgent(thenGood('nginx-502', stream), { stream });
      assert.equal(result instanceof Error ? result.message : result.text, 'ok');
      assert.deepEqual(notices.map((n) => n.reason), ['502 an HTML page (357 bytes): "502 Bad Gateway nginx/1.24.0 (Ubuntu)"']);
    }
  });
});
