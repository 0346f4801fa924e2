import type OpenAI from 'openai';
import type { ChatMessage } from '../chat';
import type { AgentConfig } from '../config/schema';
import { FaultError } from './retry';

/** What one successful attempt returns; usage is absent when the server sent none. */
export interface Reply {
  text: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** The reply stopped at max_tokens (finish_reason "length"): the answer may be cut short. */
  cutOff: boolean;
}

type Sampling = Pick<AgentConfig, 'model' | 'temperature' | 'top_p' | 'max_tokens'>;

function malformed(reason: string): FaultError {
  return new FaultError({ retryable: true, reason: `malformed reply: ${reason}` });
}

function toParams(messages: ChatMessage[]): OpenAI.Chat.ChatCompletionMessageParam[] {
  return messages.map((m) => ({ role: m.role, content: m.content }) as OpenAI.Chat.ChatCompletionMessageParam);
}

function readUsage(usage: OpenAI.CompletionUsage | null | undefined): Reply['usage'] {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

/** One chat-completion request, streamed or not, as a single attempt (the SDK does no retries). */
export function chatOnce(client: OpenAI, sampling: Sampling, messages: ChatMessage[], stream: boolean, signal: AbortSignal): Promise<Reply> {
  const body = {
    model: sampling.model,
    messages: toParams(messages),
    temperature: sampling.temperature,
    top_p: sampling.top_p,
    max_tokens: sampling.max_tokens,
  };
  return stream ? streamed(client, body, signal) : whole(client, body, signal);
}

type Body = Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'stream'>;

async function whole(client: OpenAI, body: Body, signal: AbortSignal): Promise<Reply> {
  // Typed as a completion, but a server may send anything: a non-JSON content type arrives as a string.
  const reply: unknown = await client.chat.completions.create({ ...body, stream: false }, { signal });
  if (!reply || typeof reply !== 'object') throw malformed('not a JSON object');
  const completion = reply as Partial<OpenAI.Chat.ChatCompletion>;
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) throw malformed('no choices');
  const content: unknown = choice.message?.content;
  if (content !== null && content !== undefined && typeof content !== 'string') throw malformed('message content is not text');
  return { text: content ?? '', usage: readUsage(completion.usage), cutOff: choice.finish_reason === 'length' };
}

async function streamed(client: OpenAI, body: Body, signal: AbortSignal): Promise<Reply> {
  const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal });
  let text = '';
  let finished: string | undefined;
  let events = 0;
  let usage: Reply['usage'];
  for await (const chunk of stream) {
    events++;
    // Content chunks carry one choice; the final usage chunk carries none.
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (typeof choice?.delta?.content === 'string') text += choice.delta.content;
    if (choice?.finish_reason) finished = choice.finish_reason;
    usage = readUsage(chunk.usage) ?? usage;
  }
  // The SDK ends an aborted stream quietly; surface the abort instead of a short answer.
  signal.throwIfAborted();
  // No event at all: the server answered with something else than a stream, e.g. a JSON error
  // with status 200, which the SDK's stream reader skips without a word.
  if (events === 0) throw new FaultError({ retryable: true, reason: 'the reply held no stream events (does this server stream? set "stream": false for this agent)' });
  if (!finished) throw new FaultError({ retryable: true, reason: 'stream ended before the reply finished (no finish_reason)' });
  return { text, usage, cutOff: finished === 'length' };
}
