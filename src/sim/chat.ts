import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { pause, type Exchange, type SimContext } from './context';
import { applyFaults, refusedKey, sendJsonOrBroken } from './fault-replies';
import type { FaultPlan } from './faults';
import { HttpError, readJson } from './http';
import { parseChatRequest } from './chat-request';
import { countTokens } from './text';
import { streamReply } from './stream';

/** Identifies the sim in replies, where OpenAI puts its backend's fingerprint. */
const SYSTEM_FINGERPRINT = 'toa-sim';

/** POST /v1/chat/completions: one simulated completion, plain or streamed, with usage. */
export async function handleChat(ctx: SimContext, ex: Exchange): Promise<void> {
  const request = parseChatRequest(await readJson(ex.req));
  const agent = ctx.engine.agent(request.model);
  if (!agent) {
    const message = `The model \`${request.model}\` does not exist or you do not have access to it.`;
    throw new HttpError(404, message, 'invalid_request_error', 'model_not_found', 'model');
  }
  if (refusedKey(ctx, ex, request.model)) return;
  const draws = ctx.engine.draws(request.model, request.messages);
  const plan = await applyFaults(ctx, ex, ctx.faults(), draws.fault);
  if (!plan) return;
  const reply = ctx.engine.respond(agent, request.messages, draws);
  const promptTokens = request.messages.reduce((sum, m) => sum + countTokens(m.content), 0);
  const completionTokens = countTokens(reply.text);
  const usage: CompletionUsage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const head = { id: `chatcmpl-${reply.tagId}`, created: ctx.now(), model: request.model, system_fingerprint: SYSTEM_FINGERPRINT };
  if (request.stream) {
    const chunks = completionChunks(head, reply.text, request.includeUsage ? usage : undefined);
    await streamReply(ctx, ex, plan, chunks);
  } else {
    await plainReply(ctx, ex, plan, { ...head, object: 'chat.completion', choices: [choice(reply.text)], usage });
  }
}

async function plainReply(ctx: SimContext, ex: Exchange, plan: FaultPlan, completion: ChatCompletion): Promise<void> {
  await pause(ctx, ex, ctx.latencyMs);
  sendJsonOrBroken(ex, plan, completion);
}

function choice(text: string): ChatCompletion.Choice {
  return { index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' };
}

type ChunkHead = Pick<ChatCompletionChunk, 'id' | 'created' | 'model' | 'system_fingerprint'>;

/** Words per content chunk: a few tokens per SSE event, as real servers send. */
const WORDS_PER_CHUNK = 3;

/**
 * The chunks OpenAI streams: the role first, the content in pieces, an empty delta with the
 * finish reason, and, when usage was asked for, a last chunk with no choices and the usage
 * (the earlier chunks then carry `usage: null`).
 */
function completionChunks(head: ChunkHead, text: string, usage: CompletionUsage | undefined): ChatCompletionChunk[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_CHUNK) pieces.push(words.slice(i, i + WORDS_PER_CHUNK).join(''));
  const extra = usage ? { usage: null } : {};
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason']): ChatCompletionChunk => ({
    ...head,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  });
  const chunks = [chunk({ role: 'assistant', content: '' }, null), ...pieces.map((p) => chunk({ content: p }, null)), chunk({}, 'stop')];
  if (usage) chunks.push({ ...head, object: 'chat.completion.chunk', choices: [], usage });
  return chunks;
}
