import { FaultError } from './retry';

/**
 * What a reply carried besides its finish reason, as read off the wire: `content`, the reasoning
 * a server sent in a field of its own (vLLM's `reasoning_content` or `reasoning`, Ollama's and
 * OpenRouter's `reasoning`), and OpenAI's `refusal`.
 */
export interface ReplyParts {
  content: string;
  reasoning: string;
  refusal: string;
  finishReason: string | undefined;
}

/**
 * Reasoning models served without a reasoning parser (Ollama before its `reasoning` field, LM
 * Studio, vLLM without --reasoning-parser) put their thinking into `content` as a leading
 * `<think>...</think>` block. DeepSeek-R1 and QwQ chat templates open the block in the prompt,
 * so the reply starts inside it and only the closing tag shows. A block never closed is a reply
 * cut off while thinking. Tags further on, after an opening tag that does not lead, are text the
 * answer quotes.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

/** `content` split into the leading reasoning block, if any, and the answer after it. */
export function splitThinking(content: string): { answer: string; reasoning: string } {
  const leads = content.trimStart().startsWith(OPEN);
  const close = content.indexOf(CLOSE);
  const open = content.indexOf(OPEN);
  if (!leads && (close < 0 || (open >= 0 && open < close))) return { answer: content, reasoning: '' };
  const start = leads ? open + OPEN.length : 0;
  if (close < 0) return { answer: '', reasoning: content.slice(start).trim() };
  return { answer: content.slice(close + CLOSE.length).trimStart(), reasoning: content.slice(start, close).trim() };
}

/**
 * The answer to score and write out: the content without its reasoning, which is dropped (a
 * reward model is trained on answers, and refining agents should see the answer alone). A
 * refusal with no content is the answer: it is what the model said, and the reward model scores
 * it as such. A reply with no answer at all is never scored as an empty one: it is a retryable
 * fault that says why, above all a reasoning model that spent max_tokens thinking.
 */
export function answerOf(parts: ReplyParts, maxTokens: number): { answer: string; reasoning: string } {
  const split = splitThinking(parts.content);
  const reasoning = [parts.reasoning.trim(), split.reasoning].filter(Boolean).join('\n\n');
  if (split.answer.trim()) return { answer: split.answer, reasoning };
  if (parts.refusal.trim()) return { answer: parts.refusal, reasoning };
  throw new FaultError({ retryable: true, reason: noAnswerReason(reasoning !== '', parts.finishReason === 'length', maxTokens) });
}

function noAnswerReason(thought: boolean, cut: boolean, maxTokens: number): string {
  if (thought && cut) return `no answer: the reply reached max_tokens (${maxTokens}) while the model was still reasoning; raise max_tokens for this agent`;
  if (thought) return 'no answer: the reply held reasoning only';
  if (cut) return `no answer: the reply reached max_tokens (${maxTokens}) before any text`;
  return 'no answer: the reply was empty';
}
