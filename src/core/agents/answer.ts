import { cutShortFault } from './cut-short';
import { FaultError, type Fault } from './retry';
import type { TokenLimit } from './request-body';
import type { ServerError } from './server-error';
import type { Tokens } from './types';
import { wellFormed } from '../util/surrogates';

/**
 * What a reply carried besides its finish reason, as read off the wire: `content`, the reasoning
 * a server sent in a field of its own (vLLM's `reasoning_content` or `reasoning`, Ollama's and
 * OpenRouter's `reasoning`), OpenAI's `refusal`, and the error OpenRouter puts inside a choice.
 */
export interface ReplyParts {
  content: string;
  reasoning: string;
  refusal: string;
  finishReason: string | undefined;
  error?: ServerError;
}

/**
 * Reasoning models served without a reasoning parser (Ollama before its `reasoning` field, LM
 * Studio, vLLM without --reasoning-parser) put their thinking into `content` as a leading
 * `<think>...</think>` block. DeepSeek-R1 and QwQ chat templates open the block in the prompt,
 * so the reply starts inside it and only the closing tag shows, on a line of its own. A block
 * never closed is a reply cut off while thinking.
 */
const OPEN = '<think>';
const CLOSE = '</think>';
/** A tag alone on its line, as reasoning models write it; quoted in prose or code, a tag has company. */
const LONE_OPEN = /^[ \t]*<think>[ \t]*$/m;
const LONE_CLOSE = /^[ \t]*<\/think>[ \t]*$/m;

/**
 * `content` split into its reasoning block, if any, and the answer after it. A leading `<think>`
 * opens a block that the first `</think>` closes. Without one, only a `</think>` alone on its
 * line ends an R1-style block, and only when no `<think>` alone on its line comes before it:
 * that pair is an answer showing the format. Tags quoted in prose or code are left in the answer.
 */
function splitThinking(content: string): { answer: string; reasoning: string } {
  const trimmed = content.trimStart();
  if (trimmed.startsWith(OPEN)) {
    const close = trimmed.indexOf(CLOSE);
    if (close < 0) return { answer: '', reasoning: trimmed.slice(OPEN.length).trim() };
    return { answer: trimmed.slice(close + CLOSE.length).trimStart(), reasoning: trimmed.slice(OPEN.length, close).trim() };
  }
  const close = LONE_CLOSE.exec(content);
  if (!close || LONE_OPEN.test(content.slice(0, close.index))) return { answer: content, reasoning: '' };
  return { answer: content.slice(close.index + close[0].length).trimStart(), reasoning: content.slice(0, close.index).trim() };
}

/**
 * A reply that held no answer, with what it cost: a reasoning model may have spent max_tokens
 * on thinking, and that is paid for even though the attempt failed.
 */
export class NoAnswerError extends FaultError {
  constructor(
    fault: Fault,
    /** Characters the reply generated (reasoning, text cut short), for a token estimate when the server sent no usage. */
    readonly generatedChars: number,
    readonly usage: Tokens | undefined,
  ) {
    super(fault);
    this.name = 'NoAnswerError';
  }
}

/**
 * The answer to score and write out: the content without its reasoning, which is dropped (a
 * reward model is trained on answers, and refining agents should see the answer alone), or the
 * content as it is when `thinkTags` is off. A refusal with no content is the answer: it is what
 * the model said, and the reward model scores it as such. A reply with no answer at all is never
 * scored as an empty one: it is a fault that says why. One cut off at max_tokens is final, since
 * another try would hit the same limit; an empty or reasoning-only reply may be a fluke. A reply
 * the server cut short (an error, an abort, a content filter: see cutShortFault) is no answer
 * whatever text it holds. Half of a surrogate pair in the answer (a server that cut an emoji in
 * two) becomes U+FFFD (see wellFormed), after a stream's chunks are joined, so a pair split
 * across two chunks stays the character.
 */
export function answerOf(parts: ReplyParts, limit: Pick<TokenLimit, 'value' | 'field'>, thinkTags: boolean, usage: NoAnswerError['usage']): { answer: string; reasoning: string } {
  const stopped = cutShortFault(parts.finishReason, parts.error);
  if (stopped) throw new NoAnswerError(stopped, parts.content.length + parts.reasoning.length + parts.refusal.length, usage);
  const split = thinkTags ? splitThinking(parts.content) : { answer: parts.content, reasoning: '' };
  const reasoning = [parts.reasoning.trim(), split.reasoning].filter(Boolean).join('\n\n');
  if (split.answer.trim()) return { answer: wellFormed(split.answer), reasoning };
  if (parts.refusal.trim()) return { answer: wellFormed(parts.refusal), reasoning };
  const cut = parts.finishReason === 'length';
  throw new NoAnswerError({ retryable: !cut, reason: noAnswerReason(reasoning !== '', cut, limit) }, reasoning.length, usage);
}

/** Names the limit by the config field that sets it: the one to raise. */
function noAnswerReason(thought: boolean, cut: boolean, limit: Pick<TokenLimit, 'value' | 'field'>): string {
  if (thought && cut) return `no answer: the reply reached ${limit.field} (${limit.value}) while the model was still reasoning; raise its ${limit.field}`;
  if (thought) return 'no answer: the reply held reasoning only';
  if (cut) return `no answer: the reply reached ${limit.field} (${limit.value}) before any text; raise its ${limit.field}`;
  return 'no answer: the reply was empty';
}
