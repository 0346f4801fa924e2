import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { CallError } from '../../../src/core/agents/types';
import { callAgent as call, sendJson, type CallOutcome } from './helpers';

/**
 * Replies as real servers send them, byte for byte where it matters: each stub answers the way
 * one server does (named in the test), so the client is checked against more than our simulator.
 */

function event(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): string {
  return event({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
}

function sse(res: ServerResponse, events: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(e);
  res.end('data: [DONE]\n\n');
}

function completion(message: Record<string, unknown>, finish = 'stop', usage: unknown = { prompt_tokens: 9, completion_tokens: 30, total_tokens: 39 }): Record<string, unknown> {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }], usage };
}

function text(result: CallOutcome['result']): string {
  if (result instanceof Error) throw result;
  return result.text;
}

describe('reasoning models: the answer is the content without the reasoning', () => {
  it('vLLM with a reasoning parser: reasoning_content (before 0.11) or reasoning deltas beside content, streamed', async () => {
    for (const field of ['reasoning_content', 'reasoning']) {
      const { result } = await call(
        (_req, res) =>
          sse(res, [
            chunk({ role: 'assistant', content: '' }),
            chunk({ [field]: 'Compare the decimals: ' }),
            chunk({ [field]: '0.8 > 0.11.' }),
            chunk({ content: '9.8 is ' }),
            chunk({ content: 'larger.' }),
            chunk({}, 'stop'),
            event({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 9, completion_tokens: 30, total_tokens: 39 } }),
          ]),
        { stream: true },
      );
      assert.equal(text(result), '9.8 is larger.', field);
    }
  });

  it('vLLM with a reasoning parser, not streamed: message.reasoning_content is not part of the answer', async () => {
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content: '9.8 is larger.', reasoning_content: 'Compare 0.8 and 0.11.', tool_calls: [] })));
    assert.equal(text(result), '9.8 is larger.');
  });

  it('Ollama, LM Studio, vLLM without a parser: a <think> block inside content, split across chunks', async () => {
    const parts = ['<thi', 'nk>\nCompare 0.8 and 0.11.\n</th', 'ink>\n\n9.8 is larger.'];
    const streamed = await call((_req, res) => sse(res, [...parts.map((p) => chunk({ content: p })), chunk({}, 'stop')]), { stream: true });
    assert.equal(text(streamed.result), '9.8 is larger.');
    const whole = await call((_req, res) => sendJson(res, 200, completion({ content: parts.join('') })));
    assert.equal(text(whole.result), '9.8 is larger.');
  });

  it('DeepSeek-R1 distills and QwQ: the template opens <think>, so the reply shows only </think>', async () => {
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content: 'Compare 0.8 and 0.11.\n</think>\n\n9.8 is larger.' })));
    assert.equal(text(result), '9.8 is larger.');
  });

  it('R1 reasoning that mentions <think> inline is still reasoning', async () => {
    const content = 'The user asks what the <think> tag means.\n</think>\n\nIt opens a reasoning block.';
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content })));
    assert.equal(text(result), 'It opens a reasoning block.');
  });

  it('an answer that quotes </think> in prose or code, or shows the format on lines of its own, is left whole', async () => {
    const answers = [
      'The model ends its reasoning with `</think>` and then writes the answer.',
      "Keep the last part:\n\n```python\nanswer = text.split('</think>')[-1]\n```",
      'The format is:\n<think>\nreasoning\n</think>\nanswer',
    ];
    for (const content of answers) {
      const { result } = await call((_req, res) => sendJson(res, 200, completion({ content })));
      assert.equal(text(result), content);
    }
  });

  it('thinkTags: false keeps the content as the model wrote it', async () => {
    const content = '<think>plan</think>\n9.8';
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content })), { thinkTags: false });
    assert.equal(text(result), content);
  });

  it('an answer that mentions a think tag further on is left whole', async () => {
    const answer = 'Wrap reasoning in <think> tags, e.g. <think>plan</think>, before the answer.';
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content: answer })));
    assert.equal(text(result), answer);
  });

  it('a reply cut off at max_tokens inside its think block fails at once with that reason (another try would hit the same limit)', async () => {
    const { result, count } = await call((_req, res) => sse(res, [chunk({ content: '<think>\nLet me compare the digits one by one' }), chunk({}, 'length')]), { stream: true, max_tokens: 64 });
    assert.ok(result instanceof CallError);
    assert.equal(result.message, 'agent "gpt": no answer: the reply reached max_tokens (64) while the model was still reasoning; raise its max_tokens');
    assert.equal(count, 1);
  });

  it('vLLM with a parser cut off while reasoning (content null): the failed call still counts what the server said it generated', async () => {
    const { result, count } = await call((_req, res) => sendJson(res, 200, completion({ content: null, reasoning: 'Let me compare' }, 'length', { prompt_tokens: 9, completion_tokens: 32, total_tokens: 41 })), {
      max_tokens: 32,
      price: { inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 },
    });
    assert.ok(result instanceof CallError);
    assert.equal(result.message, 'agent "gpt": no answer: the reply reached max_tokens (32) while the model was still reasoning; raise its max_tokens');
    assert.equal(count, 1);
    assert.deepEqual(result.spent, { promptTokens: 9, completionTokens: 32, costUsd: 41 });
  });

  it('reasoning only, finished normally, and an empty reply: each retried with its own reason', async () => {
    const replies = [completion({ content: '<think>hmm</think>' }), completion({ content: '' }), completion({ content: 'fine' })];
    const { result, notices } = await call((_req, res, _body, n) => sendJson(res, 200, replies[n - 1]));
    assert.equal(text(result), 'fine');
    assert.deepEqual(
      notices.map((n) => n.reason),
      ['no answer: the reply held reasoning only', 'no answer: the reply was empty'],
    );
    assert.ok(!(result instanceof Error));
    assert.equal(result.completionTokens, 90, 'the two attempts without an answer are counted too');
  });

  it('counts the reasoning in the token estimate when the server sends no usage', async () => {
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content: `<think>${'r'.repeat(400)}</think>${'a'.repeat(40)}` }, 'stop', null)));
    assert.ok(!(result instanceof Error));
    assert.equal(result.completionTokens, 110);
  });
});

describe('OpenAI refusals', () => {
  it('a refusal with null content is the answer, streamed or not', async () => {
    const refusal = "I'm sorry, I can't help with that.";
    const whole = await call((_req, res) => sendJson(res, 200, completion({ content: null, refusal })));
    assert.equal(text(whole.result), refusal);
    const streamed = await call((_req, res) => sse(res, [chunk({ role: 'assistant', content: null, refusal: '' }), chunk({ refusal: "I'm sorry, " }), chunk({ refusal: "I can't help with that." }), chunk({}, 'stop')]), { stream: true });
    assert.equal(text(streamed.result), refusal);
  });
});

describe('half of a surrogate pair in a reply (an emoji cut in two)', () => {
  /** What a UTF-8 encoder writes for the text: a lone surrogate becomes U+FFFD there, a pair stays. */
  const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;

  it('is U+FFFD in the answer, not written on as text no trainer can read, streamed or not', async () => {
    // The JSON escape, as the server sends it: valid JSON, but no character.
    const body = '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x \\ud83d end"},"finish_reason":"stop"}]}';
    const whole = await call((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    assert.equal(text(whole.result), 'x \uFFFD end');
    assert.ok(wellFormed(text(whole.result)));
    const streamed = await call((_req, res) => sse(res, [chunk({ role: 'assistant', content: '' }), 'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x \\ud83d"},"finish_reason":null}]}\n\n', chunk({ content: ' end' }), chunk({}, 'stop')]), { stream: true });
    assert.equal(text(streamed.result), 'x \uFFFD end');
    assert.ok(wellFormed(text(streamed.result)));
  });

  it('a low half alone, several halves and a refusal alike; a pair split across two chunks stays the character', async () => {
    const { result } = await call((_req, res) => sendJson(res, 200, completion({ content: '\ude00 a \ud83d\ud83d b \ud83d\ude00 c \ud83d' })));
    assert.equal(text(result), '\uFFFD a \uFFFD\uFFFD b \ud83d\ude00 c \uFFFD');
    const refusal = await call((_req, res) => sendJson(res, 200, completion({ content: null, refusal: 'No \ud83d.' })));
    assert.equal(text(refusal.result), 'No \uFFFD.');
    const split = await call((_req, res) => sse(res, [chunk({ content: 'a ' }), chunk({ content: '\ud83d' }), chunk({ content: '\ude00 b' }), chunk({}, 'stop')]), { stream: true });
    assert.equal(text(split.result), 'a \ud83d\ude00 b');
    assert.ok(wellFormed(text(split.result)));
  });
});

describe('streams as real servers shape them', () => {
  it('usage in every chunk (vLLM continuous_usage_stats): the last one is the total', async () => {
    const usage = (n: number): Record<string, unknown> => ({ usage: { prompt_tokens: 9, completion_tokens: n, total_tokens: 9 + n } });
    const { result } = await call((_req, res) => sse(res, [chunk({ content: 'a' }, null, usage(1)), chunk({ content: 'b' }, null, usage(2)), chunk({}, 'stop', usage(3))]), { stream: true });
    assert.ok(!(result instanceof Error));
    assert.deepEqual([result.text, result.promptTokens, result.completionTokens], ['ab', 9, 3]);
  });

  it('finish_reason and usage together on the last chunk, and an empty choices chunk first (Azure content filter)', async () => {
    const { result } = await call(
      (_req, res) =>
        sse(res, [
          event({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] }),
          chunk({ role: 'assistant', content: 'Hi' }),
          chunk({}, 'stop', { usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 } }),
        ]),
      { stream: true },
    );
    assert.ok(!(result instanceof Error));
    assert.deepEqual([result.text, result.completionTokens], ['Hi', 1]);
  });

  it("OpenRouter: ': OPENROUTER PROCESSING' comments before and between the chunks are skipped", async () => {
    const comment = ': OPENROUTER PROCESSING\n\n';
    const { result } = await call((_req, res) => sse(res, [comment, comment, chunk({ role: 'assistant', content: 'Hel' }), comment, chunk({ content: 'lo' }), chunk({}, 'stop')]), { stream: true });
    assert.equal(text(result), 'Hello');
  });

  it("OpenRouter: an error event mid-stream (status 200, finish_reason 'error') is retried with the provider's message", async () => {
    const { result, notices } = await call(
      (_req, res, _body, n) =>
        n === 1
          ? sse(res, [chunk({ content: 'Partial' }), chunk({ content: '' }, 'error', { error: { code: 502, message: 'Provider disconnected unexpectedly' } })])
          : sse(res, [chunk({ content: 'Whole' }), chunk({}, 'stop')]),
      { stream: true },
    );
    assert.equal(text(result), 'Whole');
    assert.equal(notices[0]!.reason, 'server error mid-stream: Provider disconnected unexpectedly');
  });

  it('an error event whose numeric code is a bad request fails at once; a string code is retried', async () => {
    const bad = await call((_req, res) => sse(res, [chunk({ content: 'Par' }), event({ error: { code: 400, message: 'prompt is too long for this provider' } })]), { stream: true });
    assert.ok(bad.result instanceof CallError);
    assert.equal(bad.result.message, 'agent "gpt": server error mid-stream: prompt is too long for this provider');
    assert.equal(bad.count, 1);
    const flaky = await call(
      (_req, res, _body, n) => (n === 1 ? sse(res, [event({ error: { code: 'server_error', message: 'Provider disconnected unexpectedly' } })]) : sse(res, [chunk({ content: 'Whole' }), chunk({}, 'stop')])),
      { stream: true },
    );
    assert.equal(text(flaky.result), 'Whole');
  });

  it("vLLM's repetition detection (finish_reason 'repetition'): the repeating text is not the answer", async () => {
    const { result, notices } = await call((_req, res, _body, n) => sendJson(res, 200, n === 1 ? completion({ content: 'the the the the' }, 'repetition') : completion({ content: 'fine' })));
    assert.equal(text(result), 'fine');
    assert.equal(notices[0]!.reason, 'no answer: the server stopped the reply for repeating itself (finish_reason repetition)');
  });

  it("older vLLM: a mid-stream {\"object\": \"error\"} event keeps the server's message", async () => {
    const { result, notices } = await call(
      (_req, res, _body, n) =>
        n === 1
          ? sse(res, [chunk({ content: 'Par' }), event({ object: 'error', message: 'CUDA out of memory', type: 'InternalServerError', param: null, code: 500 })])
          : sse(res, [chunk({ content: 'Whole' }), chunk({}, 'stop')]),
      { stream: true },
    );
    assert.equal(text(result), 'Whole');
    assert.equal(notices[0]!.reason, 'server error mid-stream: CUDA out of memory');
  });

  it('older vLLM: a mid-stream error event with code 400 fails at once', async () => {
    const { result, count } = await call(
      (_req, res) => sse(res, [event({ object: 'error', message: "This model's maximum context length is 4096 tokens", type: 'BadRequestError', param: null, code: 400 })]),
      { stream: true },
    );
    assert.ok(result instanceof CallError);
    assert.equal(result.message, `agent "gpt": server error mid-stream: This model's maximum context length is 4096 tokens`);
    assert.equal(result.status, 400);
    assert.equal(count, 1);
  });
});

describe('error bodies of local servers', () => {
  it("Ollama: a model that is not pulled fails at once with Ollama's message", async () => {
    const { result, count } = await call((_req, res) =>
      sendJson(res, 404, { error: { message: 'model "llama9" not found, try pulling it first', type: 'api_error', param: null, code: null } }),
    );
    assert.ok(result instanceof CallError);
    assert.equal(result.message, 'agent "gpt": 404 model "llama9" not found, try pulling it first');
    assert.equal(count, 1);
  });

  it('Ollama: a runner that crashed (500) is retried, with its message', async () => {
    const { result, notices } = await call((_req, res, _body, n) =>
      n === 1 ? sendJson(res, 500, { error: { message: 'llama runner process has terminated: exit status 2', type: 'api_error', param: null, code: null } }) : sendJson(res, 200, completion({ content: 'ok' })),
    );
    assert.equal(text(result), 'ok');
    assert.equal(notices[0]!.reason, '500 llama runner process has terminated: exit status 2');
  });

  it("a server's long message (vLLM's validation errors, a proxy's HTML page) is shown by its start, on one line, a page by its text", async () => {
    const fields = Array.from({ length: 60 }, (_, i) => `  messages.${i}.content\n    Input should be a valid string [type=string_type]`).join('\n');
    const vllm = await call((_req, res) => sendJson(res, 400, { object: 'error', message: `60 validation errors for ChatCompletionRequest\n${fields}`, type: 'BadRequestError', code: 400 }));
    assert.ok(vllm.result instanceof CallError);
    assert.match(vllm.result.message, /^agent "gpt": 400 60 validation errors for ChatCompletionRequest messages\.0\.content Input should be a valid string/);
    assert.ok(vllm.result.message.endsWith('…') && vllm.result.message.length < 320, vllm.result.message);
    const page = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>${'<p>upstream unavailable</p>\n'.repeat(200)}</body></html>`;
    const proxy = await call((_req, res, _body, n) => {
      if (n > 1) return sendJson(res, 200, completion({ content: 'ok' }));
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(page);
    });
    assert.equal(text(proxy.result), 'ok');
    assert.match(proxy.notices[0]!.reason, /^502 an HTML page \(5671 bytes\): "502 Bad Gateway: upstream unavailable upstream unavailable/);
    assert.ok(proxy.notices[0]!.reason.endsWith('…"') && proxy.notices[0]!.reason.length < 320, proxy.notices[0]!.reason);
  });

  it('LM Studio with no model loaded (JIT loading off): 404 with its message, in the current and the older body', async () => {
    const message = "No models loaded. Please load a model in the developer page or use the 'lms load' command.";
    for (const body of [{ error: { message, type: 'invalid_request_error', param: 'model', code: null } }, { error: message }]) {
      const { result, count } = await call((_req, res) => sendJson(res, 404, body));
      assert.ok(result instanceof CallError);
      assert.equal(result.message, `agent "gpt": 404 ${message}`);
      assert.equal(count, 1);
    }
  });
});
