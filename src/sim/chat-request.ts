import { z } from 'zod';
import type { ChatTurn } from './engine';
import { HttpError } from './http';

/** The part of an OpenAI chat-completions request the sim reads; other fields are ignored. */
const contentPart = z.object({ type: z.string(), text: z.string().optional() });
const message = z.object({
  role: z.string(),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});
const chatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
});

export interface ChatRequest {
  model: string;
  messages: ChatTurn[];
  stream: boolean;
  includeUsage: boolean;
}

/** Validates a request body; a bad one becomes a 400 naming the field, as OpenAI's do. */
export function parseChatRequest(body: unknown): ChatRequest {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join('.');
    throw new HttpError(400, `Invalid request: ${param || 'body'}: ${issue.message}`, 'invalid_request_error', null, param || null);
  }
  const { model, messages, stream, stream_options } = parsed.data;
  return {
    model,
    messages: messages.map((m) => ({ role: m.role, content: flatten(m.content) })),
    stream: stream === true,
    includeUsage: stream_options?.include_usage === true,
  };
}

/** Content given as parts (the SDK allows it) is read as its text parts joined. */
function flatten(content: string | Array<{ text?: string }> | null | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => p.text ?? '').join('\n');
}
