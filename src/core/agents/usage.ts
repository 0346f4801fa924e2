import type { ChatMessage } from '../chat';
import type { AgentConfig } from '../config/schema';
import type { Reply } from './chat-call';

/**
 * Rough token counts for servers that report no usage: about four characters per token for
 * English text (OpenAI's rule of thumb) plus a few tokens of chat framing per message. Good
 * enough for cost statistics; never used for limits.
 */
function estimateTokens(messages: readonly ChatMessage[], text: string, reasoningChars = 0): { promptTokens: number; completionTokens: number } {
  const chars = messages.reduce((sum, m) => sum + m.content.length, 0);
  return { promptTokens: Math.ceil(chars / 4) + 4 * messages.length, completionTokens: Math.ceil((text.length + reasoningChars) / 4) };
}

/** The server's counts, else an estimate; reasoning was generated and paid for, so it counts too. */
export function tokensOf(reply: Reply, messages: readonly ChatMessage[]): { promptTokens: number; completionTokens: number } {
  return reply.usage ?? estimateTokens(messages, reply.text, reply.reasoningChars);
}

/** USD, from prices per million tokens. */
export function costUsd(price: AgentConfig['price'], promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1e6;
}
