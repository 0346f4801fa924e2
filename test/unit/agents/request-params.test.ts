import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { createAgent, createAgents } from '../../../src/core/agents/agent';
import { chatBody } from '../../../src/core/agents/request-body';
import { CallError, type RetryNotice } from '../../../src/core/agents/types';
import type { AgentConfig } from '../../../src/core/config/schema';
import { agentConfig, completionBody, FakeClock, sendJson, sendStream, startServer, type Handler, type TestServer } from './helpers';

/**
 * The request fields each server takes, and what an agent does when one is refused. The stubs
 * answer as the servers do: OpenAI's reasoning models (o-series, gpt-5) refuse max_tokens, a
 * temperature other than 1 and top_p, with a 400 that names the field (`param`); vLLM takes
 * extra fields such as chat_template_kwargs; Ollama and LM Studio document max_tokens only.
 */

const ask = [{ role: 'user' as const, content: 'Name a prime above 10.' }];
type Body = Record<string, unknown>;

function openAiError(res: ServerResponse, message: string, param: string | null, code: string | null): void {
  sendJson(res, 400, { error: { message, type: 'invalid_request_error', param, code } });
}

/** OpenAI's chat completions as its reasoning models answer them; other models take every field. */
const openAi: Handler = (_req, res, raw) => {
  const body = JSON.parse(raw) as Body;
  const reasoning = /^(o\d|gpt-5)/.test(String(body.model));
  const known = new Set(['model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'reasoning_effort', 'seed']);
  const unknown = Object.keys(body).find((key) => !known.has(key));
  if (unknown) return openAiError(res, `Unrecognized request argument supplied: ${unknown}`, null, null);
  if (reasoning && body.max_tokens !== undefined) {
    return openAiError(res, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
  }
  if (reasoning && body.temperature !== undefined && body.temperature !== 1) {
    return openAiError(res, `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value');
  }
  if (reasoning && body.top_p !== undefined) return openAiError(res, "Unsupported parameter: 'top_p' is not supported with this model.", 'top_p', 'unsupported_parameter');
  if (!reasoning && body.reasoning_effort !== undefined) {
    return openAiError(res, "Unsupported parameter: 'reasoning_effort' is not supported with this model.", 'reasoning_effort', 'unsupported_parameter');
  }
  if (body.stream) return sendStream(res, ['13']);
  sendJson(res, 200, completionBody('13'));
};

/** Requests to api.openai.com go to `server` instead (127.0.0.1): the agent still sees OpenAI's URL. */
function viaStub(server: TestServer): typeof fetch {
  return (input, init) => fetch(String(input instanceof Request ? input.url : input).replace('https://api.openai.com', server.url), init);
}

const OPENAI = 'https://api.openai.com/v1';

interface Outcome {
  result: unknown;
  bodies: Body[];
  notices: RetryNotice[];
}

/** One call of the last of `configs` (all agents are built, so it is `agents[n-1]`). */
async function callLast(handler: Handler, configs: Array<Partial<AgentConfig>>): Promise<Outcome> {
  const server = await startServer(handler);
  const notices: RetryNotice[] = [];
  try {
    const full = configs.map((c, i) => agentConfig(server.url, { name: `a${i}`, maxRetries: 3, ...c }));
    const agents = createAgents(full, { apiKeyFor: () => 'sk-test', clock: new FakeClock(), fetch: viaStub(server), onRetry: (n) => notices.push(n) });
    const result = await agents.at(-1)!.complete(ask, new AbortController().signal).catch((error: unknown) => error);
    return { result, bodies: server.bodies as Body[], notices };
  } finally {
    await server.close();
  }
}

const call = (handler: Handler, config: Partial<AgentConfig>): Promise<Outcome> => callLast(handler, [config]);

function refused(outcome: Outcome): CallError {
  assert.ok(outcome.result instanceof CallError, `not refused: ${JSON.stringify(outcome.result)}`);
  assert.equal(outcome.result.refused, true);
  assert.equal(outcome.bodies.length, 1, 'a refused field is final: no retry');
  assert.deepEqual(outcome.notices, []);
  return outcome.result;
}

describe('the token limit goes under the name each server takes', () => {
  it("OpenAI's own API gets max_completion_tokens (it deprecated max_tokens, and reasoning models refuse it)", async () => {
    const { result, bodies } = await call(openAi, { baseURL: OPENAI, model: 'o4-mini', temperature: null, top_p: null, max_tokens: 4096 });
    assert.equal((result as { text: string }).text, '13');
    assert.equal(bodies[0]!.max_completion_tokens, 4096);
    assert.ok(!('max_tokens' in bodies[0]!));
  });

  it('names its sender in User-Agent, then the SDK (not its subclass, "ChatClient/JS"), streamed or not', async () => {
    const server = await startServer((_req, res, _body, n) => (n === 1 ? sendJson(res, 200, completionBody('13')) : sendStream(res, ['13'])));
    try {
      for (const stream of [false, true]) await createAgent(agentConfig(server.url, { stream }), { clock: new FakeClock() }).complete(ask, new AbortController().signal);
      for (const headers of server.headers) assert.match(String(headers['user-agent']), /^TOA-Studio\/\d+\.\d+\.\d+ OpenAI\/JS \d+\.\d+\.\d+$/);
      assert.equal(server.headers.length, 2);
    } finally {
      await server.close();
    }
  });

  it("sends a message's name (who speaks) as OpenAI takes it, and no name field for a message without one", () => {
    const body = chatBody(agentConfig('http://127.0.0.1:1/v1'), [{ role: 'user', content: 'Is 7 prime?', name: 'ada' }, ...ask]);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Is 7 prime?', name: 'ada' }, ...ask]);
  });

  it("Azure OpenAI gets max_completion_tokens too (it deprecated max_tokens as OpenAI did), as do Azure AI Foundry's /openai/ paths, a project's included; other Azure AI services and look-alike hosts get max_tokens", () => {
    const limitFor = (baseURL: string): string[] => Object.keys(chatBody({ ...agentConfig(baseURL), baseURL }, ask)).filter((key) => key.startsWith('max_'));
    for (const baseURL of ['https://my-resource.openai.azure.com/openai/v1', 'https://My-Resource.OpenAI.Azure.com/openai/deployments/gpt5', 'https://my-resource.cognitiveservices.azure.com/openai/v1', 'https://gov-resource.openai.azure.us/openai/v1', 'https://cn-resource.openai.azure.cn/openai/v1', 'https://gov-resource.cognitiveservices.azure.us/openai/v1', 'https://my-project.services.ai.azure.com/openai/v1', 'https://my-project.services.ai.azure.com/openai/deployments/gpt5', 'https://my-resource.services.ai.azure.com/api/projects/my-project/openai/v1', 'https://my-resource.services.ai.azure.com/api/projects/_project/openai/v1']) {
      assert.deepEqual(limitFor(baseURL), ['max_completion_tokens'], baseURL);
    }
    for (const baseURL of ['https://my-resource.cognitiveservices.azure.com/models', 'https://my-resource.services.ai.azure.com/models', 'https://my-resource.services.ai.azure.com/api/projects/my-project', 'https://my-resource.services.ai.azure.com/api/projects/my-project/models', 'https://my-resource.services.ai.azure.com/api/projects/a/b/openai/v1', 'https://services.ai.azure.com.example.org/openai/v1', 'https://services.ai.azure.com.example.org/api/projects/p/openai/v1', 'https://openai.azure.com.example.org/v1', 'https://notopenai.azure.com/v1']) {
      assert.deepEqual(limitFor(baseURL), ['max_tokens'], baseURL);
    }
  });

  it('other servers (vLLM, Ollama, LM Studio, OpenRouter) get max_tokens, the name all of them document', async () => {
    const { bodies } = await call((_req, res) => sendJson(res, 200, completionBody('13')), {});
    assert.equal(bodies[0]!.max_tokens, 2048);
    assert.ok(!('max_completion_tokens' in bodies[0]!));
  });

  it('max_completion_tokens in the config is sent under that name, to any server, and max_tokens is not', async () => {
    const { bodies } = await call((_req, res) => sendJson(res, 200, completionBody('13')), { max_completion_tokens: 512 });
    assert.equal(bodies[0]!.max_completion_tokens, 512);
    assert.ok(!('max_tokens' in bodies[0]!));
  });

  it('a reply cut at max_completion_tokens says to raise that field', async () => {
    const cut = { ...completionBody(''), choices: [{ index: 0, message: { role: 'assistant', content: '', reasoning_content: 'Think...' }, finish_reason: 'length' }] };
    const { result } = await call((_req, res) => sendJson(res, 200, cut), { max_completion_tokens: 64 });
    assert.match((result as Error).message, /reached max_completion_tokens \(64\) while the model was still reasoning; raise its max_completion_tokens$/);
  });
});

describe('null temperature or top_p: none is sent, the server default applies', () => {
  it('a gpt-5 agent with temperature and top_p null answers', async () => {
    const { result, bodies } = await call(openAi, { baseURL: OPENAI, model: 'gpt-5-mini', temperature: null, top_p: null });
    assert.equal((result as { text: string }).text, '13');
    assert.ok(!('temperature' in bodies[0]!) && !('top_p' in bodies[0]!));
  });
});

describe('a refused request field fails the call at once, naming the config field to change', () => {
  it('temperature 0.7 (the default) on gpt-5: set agents[1].temperature to 1', async () => {
    const outcome = await callLast(openAi, [{}, { name: 'gpt5', baseURL: OPENAI, model: 'gpt-5' }]);
    assert.equal(
      refused(outcome).message,
      "agents[1] (gpt5): the endpoint does not accept temperature 0.7 for this model; set agents[1].temperature to 1 (or to null, to send none) (the server said: 400 Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.)",
    );
  });

  it('top_p on o4-mini, refused whatever its value: set top_p to null', async () => {
    const outcome = await call(openAi, { name: 'o4', baseURL: OPENAI, model: 'o4-mini', temperature: 1 });
    assert.match(refused(outcome).message, /^agents\[0\] \(o4\): the endpoint does not accept top_p for this model; set agents\[0\]\.top_p to null, to send none \(the server said: 400 Unsupported parameter: 'top_p'/);
  });

  it('max_tokens refused by a server in front of OpenAI (a proxy, Azure): rename it to max_completion_tokens', async () => {
    const outcome = await call(openAi, { name: 'proxy', model: 'o3', temperature: null, top_p: null });
    assert.match(refused(outcome).message, /^agents\[0\] \(proxy\): the endpoint does not accept max_tokens for this model; rename agents\[0\]\.max_tokens to agents\[0\]\.max_completion_tokens \(/);
  });

  it('a field from extraBody: remove it from extraBody', async () => {
    const outcome = await call(openAi, { name: 'mini', baseURL: OPENAI, model: 'gpt-4o-mini', extraBody: { reasoning_effort: 'low' } });
    assert.match(refused(outcome).message, /^agents\[0\] \(mini\): the endpoint does not accept reasoning_effort \(from agents\[0\]\.extraBody\) for this model; remove reasoning_effort from agents\[0\]\.extraBody /);
    const unknown = await call(openAi, { name: 'mini', baseURL: OPENAI, model: 'gpt-4o-mini', extraBody: { chat_template_kwargs: { enable_thinking: false } } });
    assert.match(refused(unknown).message, /the endpoint does not accept chat_template_kwargs \(from agents\[0\]\.extraBody\) for this model; remove chat_template_kwargs from agents\[0\]\.extraBody \(the server said: 400 Unrecognized request argument supplied: chat_template_kwargs\)$/);
  });

  it('stream_options refused by a server that does not stream usage: set stream to false', async () => {
    const handler: Handler = (_req, res, raw) =>
      (JSON.parse(raw) as Body).stream_options ? sendJson(res, 400, { error: { message: 'Unsupported parameter: stream_options', param: 'stream_options' } }) : sendJson(res, 200, completionBody('13'));
    const outcome = await call(handler, { name: 'old', stream: true });
    assert.match(refused(outcome).message, /^agents\[0\] \(old\): the endpoint does not accept stream_options \(sent with streamed requests, to ask for usage\) for this model; set agents\[0\]\.stream to false /);
  });

  it('a model that streams only for verified organisations (o3): set stream to false', async () => {
    const handler: Handler = (_req, res, raw) =>
      (JSON.parse(raw) as Body).stream ? openAiError(res, 'Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general', 'stream', 'unsupported_value') : sendJson(res, 200, completionBody('13'));
    const outcome = await call(handler, { name: 'o3', stream: true });
    assert.match(refused(outcome).message, /^agents\[0\] \(o3\): the endpoint does not accept streamed replies for this model; set agents\[0\]\.stream to false /);
  });

  it("vLLM's max_tokens too large for a long prompt is about that prompt: not refused, no config advice", async () => {
    const message = "'max_tokens' or 'max_completion_tokens' is too large: 2048. This model's maximum context length is 4096 tokens and your request has 3000 input tokens (2048 > 4096 - 3000). (parameter=max_tokens, value=2048)";
    const server = await startServer((_req, res) => sendJson(res, 400, { error: { message, type: 'BadRequestError', param: 'max_tokens', code: 400 } }));
    try {
      const agent = createAgent(agentConfig(server.url, { maxRetries: 0 }), { clock: new FakeClock() });
      const error = await agent.complete(ask, new AbortController().signal).catch((e: unknown) => e);
      assert.ok(error instanceof CallError && !error.refused, String(error));
      assert.doesNotMatch(error.message, /rename|max_completion_tokens to/);
    } finally {
      await server.close();
    }
  });

  it('a 400 about anything else (the messages) is no config problem and keeps its message', async () => {
    const server = await startServer((_req, res) => openAiError(res, "Invalid 'messages[0].content': string too long.", 'messages[0].content', 'string_above_max_length'));
    try {
      const agent = createAgent(agentConfig(server.url), { clock: new FakeClock() });
      const error = await agent.complete(ask, new AbortController().signal).catch((e: unknown) => e);
      assert.ok(error instanceof CallError && !error.refused);
      assert.equal(error.message, 'agent "gpt": 400 Invalid \'messages[0].content\': string too long.');
    } finally {
      await server.close();
    }
  });
});

describe('extraBody: merged into each request as it is', () => {
  it("vLLM serving Qwen3: chat_template_kwargs turns thinking off, and seed and OpenRouter's provider go along, streamed or not", async () => {
    // vLLM passes chat_template_kwargs to the chat template: Qwen3's writes no <think> block with enable_thinking false.
    const vllm: Handler = (_req, res, raw) => {
      const body = JSON.parse(raw) as { chat_template_kwargs?: { enable_thinking?: boolean }; stream?: boolean };
      const text = body.chat_template_kwargs?.enable_thinking === false ? '13' : '<think>\nPrimes above 10...\n</think>\n\n13';
      if (body.stream) sendStream(res, [text]);
      else sendJson(res, 200, completionBody(text));
    };
    const extraBody = { chat_template_kwargs: { enable_thinking: false }, seed: 7, provider: { order: ['deepinfra'], allow_fallbacks: false } };
    for (const stream of [false, true]) {
      const { result, bodies } = await call(vllm, { stream, extraBody, thinkTags: false });
      assert.equal((result as { text: string }).text, '13');
      for (const [key, value] of Object.entries(extraBody)) assert.deepEqual(bodies[0]![key], value, key);
      assert.equal(bodies[0]!.model, 'm');
      assert.equal(bodies[0]!.stream, stream);
    }
  });

  it('reasoning_effort reaches an OpenAI reasoning model', async () => {
    const { result, bodies } = await call(openAi, { baseURL: OPENAI, model: 'o3', temperature: null, top_p: null, extraBody: { reasoning_effort: 'low' } });
    assert.equal((result as { text: string }).text, '13');
    assert.equal(bodies[0]!.reasoning_effort, 'low');
  });
});
