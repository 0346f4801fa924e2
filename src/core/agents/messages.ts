import type { ChatMessage } from '../chat';

/**
 * Prepends an agent's system prompt. Idempotent: messages that already start with that exact
 * system message are returned unchanged, so the prompt builder and the agent can both apply it
 * without doubling it.
 */
export function withSystemPrompt(messages: ChatMessage[], systemPrompt: string | undefined): ChatMessage[] {
  if (!systemPrompt) return messages;
  const first = messages[0];
  if (first?.role === 'system' && first.content === systemPrompt) return messages;
  return [{ role: 'system', content: systemPrompt }, ...messages];
}
