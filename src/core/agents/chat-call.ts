import type OpenAI from 'openai';
import { Stream } from 'openai/streaming';
import type { ChatMessage } from '../chat';
import { replyExcerpt } from '../util/server-text';
import { answerOf, type ReplyParts } from './answer';
import type { ChatRequest } from './request-body';
import { FaultError } from './retry';
import { errorInBody, readServerError, serverErrorFault } from './server-error';
import type { Tokens } from './types';

/** What one successful attempt returns; usage is absent when the server sent none. */
export interface Reply {
  /** The answer, without the model's reasoning (see answerOf). */
  text: string;
  /** The reasoning the reply carried, in a field or a think block: only counted, never written out. */
  reasoningChars: number;
  usage?: Tokens;
  /** The reply stopped at the token limit (finish_reason "length"): the answer may be cut short. */
  cutOff: boolean;
}

function malformed(reason: string): FaultError {
  return new FaultError({ retryable: true, reason: `malformed reply: ${reason}` });
}

function readUsage(usage: OpenAI.CompletionUsage | null | undefined): Reply['usage'] {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

/** One chat-completion request, streamed or not, as a single attempt (the SDK does no retries). */
export function chatOnce(client: OpenAI, request: ChatRequest, thinkTags: boolean, messages: ChatMessage[], stream: boolean, signal: AbortSignal): Promise<Reply> {
  const body = request.body(messages);
  const toReply = (parts: ReplyParts, usage: Reply['usage']): Reply => {
    const { answer, reasoning } = answerOf(parts, request.limit, thinkTags, usage);
    return { text: answer, reasoningChars: reasoning.length, usage, cutOff: parts.finishReason === 'length' };
  };
  return stream ? streamed(client, body, signal, toReply) : whole(client, body, signal, toReply);
}

/** The answer and what it cost, from the parts of a reply (see answerOf for what is dropped). */
type ToReply = (parts: ReplyParts, usage: Reply['usage']) => Reply;

/** Reasoning in a field of its own: `reasoning_content` (DeepSeek, older vLLM) or `reasoning` (vLLM, Ollama, OpenRouter). */
function reasoningField(part: object | undefined): string {
  const record = (part ?? {}) as { reasoning_content?: unknown; reasoning?: unknown };
  const value = record.reasoning_content ?? record.reasoning;
  return typeof value === 'string' ? value : '';
}

function textField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

type Body = Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'stream'>;

async function whole(client: OpenAI, body: Body, signal: AbortSignal, toReply: ToReply): Promise<Reply> {
  // Typed as a completion, but a server may send anything: a non-JSON content type arrives as a string.
  const reply: unknown = await client.chat.completions.create({ ...body, stream: false }, { signal });
  return completionReply(reply, toReply);
}

/**
 * A whole completion, as a JSON value. An error body with status 200 (OpenRouter once the model
 * started, LM Studio) is the server's error, said in its words, not a malformed reply.
 */
function completionReply(reply: unknown, toReply: ToReply): Reply {
  // A proxy's or a web server's page (a baseURL without /v1) arrives as text: say what it is.
  if (typeof reply === 'string') throw malformed(`not JSON: ${replyExcerpt(reply)}`);
  if (!reply || typeof reply !== 'object') throw malformed('not a JSON object');
  const error = errorInBody(reply);
  if (error) throw new FaultError(serverErrorFault(error, 'server error in the reply'));
  const completion = reply as Partial<OpenAI.Chat.ChatCompletion>;
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) throw malformed('no choices');
  const content: unknown = choice.message?.content;
  if (content !== null && content !== undefined && typeof content !== 'string') throw malformed('message content is not text');
  const parts: ReplyParts = {
    content: content ?? '',
    reasoning: reasoningField(choice.message),
    refusal: textField(choice.message?.refusal),
    finishReason: choice.finish_reason ?? undefined,
    error: choiceError(choice),
  };
  return toReply(parts, readUsage(completion.usage));
}

/** OpenRouter's error inside a choice (finish_reason "error"), which the SDK's types leave out. */
function choiceError(choice: object | undefined): ReplyParts['error'] {
  return readServerError((choice as { error?: unknown } | undefined)?.error);
}

async function streamed(client: OpenAI, body: Body, signal: AbortSignal, toReply: ToReply): Promise<Reply> {
  const request = client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal });
  const { data: stream, response } = await request.withResponse();
  const type = response.headers.get('content-type') ?? '';
  // A web server's or a proxy's page (a baseURL without /v1, a captive portal) is no stream: say
  // what it is, as for a request that is not streamed, rather than that it held no events.
  if (/\bhtml\b/i.test(type)) throw malformed(`not an event stream: ${replyExcerpt(await response.text())}`);
  if (!/\bjson\b/i.test(type)) return readStream(stream, signal, toReply);
  // A JSON body is no stream (the SDK would find no events in it and say nothing): an error the
  // server sent with status 200, or a whole completion from a server that does not stream. But
  // some proxies label a real stream as JSON, which the SDK read as one: its text says which.
  const text = await response.text();
  if (!SSE_START.test(text)) return completionReply(jsonOf(text), toReply);
  return readStream(Stream.fromSSEResponse<OpenAI.Chat.ChatCompletionChunk>(new Response(text), new AbortController()), signal, toReply);
}

/** How an event stream's text begins: a field (`data:`, `event:`, `id:`, `retry:`) or a `:` comment. */
const SSE_START = /^\s*(?:data|event|id|retry)?:/;

async function readStream(stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>, signal: AbortSignal, toReply: ToReply): Promise<Reply> {
  const parts: ReplyParts = { content: '', reasoning: '', refusal: '', finishReason: undefined };
  let events = 0;
  let usage: Reply['usage'];
  for await (const chunk of stream) {
    events++;
    midStreamError(chunk);
    // Content chunks carry one choice; the final usage chunk carries none.
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    parts.content += textField(choice?.delta?.content);
    parts.reasoning += reasoningField(choice?.delta);
    parts.refusal += textField(choice?.delta?.refusal);
    parts.error = choiceError(choice) ?? parts.error;
    if (choice?.finish_reason) parts.finishReason = choice.finish_reason;
    // Some servers repeat the running usage in every chunk: the last one is the total.
    usage = readUsage(chunk.usage) ?? usage;
  }
  // The SDK ends an aborted stream quietly; surface the abort instead of a short answer.
  signal.throwIfAborted();
  // No event at all: the server answered with something else than a stream.
  if (events === 0) throw new FaultError({ retryable: true, reason: 'the reply held no stream events (does this server stream? set "stream": false for this agent)' });
  if (!parts.finishReason) throw new FaultError({ retryable: true, reason: 'stream ended before the reply finished (no finish_reason)' });
  return toReply(parts, usage);
}

/**
 * The SDK throws on an `{"error": ...}` event (OpenAI, OpenRouter, newer vLLM) but not on older
 * vLLM's `{"object": "error", "message": ..., "code": 400}`, which it would pass on as a chunk
 * without choices; the stream then ends without a finish_reason and the server's message would
 * be lost. Its code says whether another try could help: a bad request would fail again.
 */
function midStreamError(chunk: object): void {
  const error = errorInBody(chunk);
  if (error) throw new FaultError(serverErrorFault(error, 'server error mid-stream'));
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformed(`a JSON content type but not JSON: ${replyExcerpt(text)}`);
  }
}
