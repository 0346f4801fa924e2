import { ownValue } from '../../shared/own-value';
import type { Fault } from './retry';
import { serverErrorFault, type ServerError } from './server-error';

/**
 * Finish reasons that say the server stopped the reply before it was a whole answer (max_tokens,
 * "length", is answerOf's): whatever text came before them is not an answer, and is never scored.
 * Other reasons (stop, tool_calls, TGI's eos_token, ...) end a reply normally.
 */
const CUT_SHORT: Readonly<Record<string, Fault>> = {
  // OpenAI and Azure: the output was flagged. Another try would most likely be flagged again.
  content_filter: { retryable: false, reason: "no answer: the server's content filter stopped the reply (finish_reason content_filter)" },
  // vLLM: the engine aborted the request (preempted, shutting down).
  abort: { retryable: true, reason: 'no answer: the server aborted the reply (finish_reason abort)' },
  // vLLM: a request-level engine error it calls retryable; OpenRouter: a provider failure after the 200.
  error: { retryable: true, reason: 'no answer: the server failed while replying (finish_reason error)' },
  // vLLM's repetition detection stopped a reply that kept repeating itself.
  repetition: { retryable: true, reason: 'no answer: the server stopped the reply for repeating itself (finish_reason repetition)' },
  // DeepSeek: its inference capacity ran out mid-reply.
  insufficient_system_resource: { retryable: true, reason: 'no answer: the server ran out of resources while replying (finish_reason insufficient_system_resource)' },
};

/** Why a reply is not a whole answer: an error inside its choice (OpenRouter), or a finish reason above. */
export function cutShortFault(finishReason: string | undefined, error: ServerError | undefined): Fault | undefined {
  if (error) return serverErrorFault(error, 'server error in the reply');
  return finishReason === undefined ? undefined : ownValue(CUT_SHORT, finishReason);
}
