import type { ChatMessage } from '../chat';
import type { AgentConfig } from '../config/schema';
import type { Tokens } from './types';

/**
 * Rough token counts for servers that report no usage: about four characters per token for
 * English text (OpenAI's rule of thumb) plus a few tokens of chat framing per message. Good
 * enough for cost statistics; never used for limits.
 */
function estimateTokens(messages: readonly ChatMessage[], generatedChars: number): Tokens {
  const chars = messages.reduce((sum, m) => sum + m.content.length, 0);
  return { promptTokens: Math.ceil(chars / 4) + 4 * messages.length, completionTokens: Math.ceil(generatedChars / 4) };
}

/**
 * The server's counts, else an estimate from the characters generated: answer and reasoning
 * alike, since reasoning was generated and paid for (also by a reply that had no answer).
 */
export function tokensOf(usage: Tokens | undefined, messages: readonly ChatMessage[], generatedChars: number): Tokens {
  return usage ?? estimateTokens(messages, generatedChars);
}

/** USD, from prices per million tokens. */
export function costUsd(price: AgentConfig['price'], promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1e6;
}
