import type { ChatMessage } from '../chat';

/** Tokens of one call (or of several, summed), as the server counted them or as estimated. */
export interface Tokens {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion extends Tokens {
  text: string;
  /** Wall time, retries and waits for limits included. */
  latencyMs: number;
  costUsd: number;
  attempts: number;
  /** The reply stopped at the token limit (finish_reason "length"); absent means it did not. */
  cutOff?: boolean;
}

/** Reported before each retry, so UIs and logs can show faults instead of hiding them. */
export interface RetryNotice {
  /** The agent's name, or the reward provider's (with `reward`). */
  agent: string;
  /** The call was a reward model's, not an agent's. */
  reward?: boolean;
  attempt: number;
  reason: string;
  delayMs: number;
}

/**
 * One configured agent: an OpenAI-compatible endpoint + model + sampling parameters, behind
 * its own concurrency and rate limits, with retries. Throws `CallError` once retries are spent.
 */
export interface ChatAgent {
  readonly name: string;
  complete(messages: ChatMessage[], signal: AbortSignal): Promise<Completion>;
}

/** Tokens and cost of attempts that gave no answer (a reasoning model that used up max_tokens). */
export interface Spent extends Tokens {
  costUsd: number;
}

/** A call that failed for good, with a reason fit to show the user. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly agent: string,
    readonly attempts: number,
    readonly status?: number,
    /** No attempt reached the server (see Fault.unreachable). */
    readonly unreachable = false,
    /** What its attempts cost although none gave an answer, when a server said or it can be estimated. */
    readonly spent?: Spent,
    /** The endpoint refused a request field the config sets (see Fault.refused): every call would fail alike. */
    readonly refused = false,
    /** fetch refused the endpoint's port without connecting (see Fault.blockedPort). */
    readonly blockedPort = false,
  ) {
    super(message);
    this.name = 'CallError';
  }

  withSpent(spent: Spent): CallError {
    return new CallError(this.message, this.agent, this.attempts, this.status, this.unreachable, spent, this.refused, this.blockedPort);
  }

  /** The same failure, said otherwise (see createModels: without the run's keys). */
  withMessage(message: string): CallError {
    return new CallError(message, this.agent, this.attempts, this.status, this.unreachable, this.spent, this.refused, this.blockedPort);
  }
}

/** Who a retry notice is about, as messages name it: `agent "large"` or `reward vllm`. */
export function retrySubject(notice: Pick<RetryNotice, 'agent' | 'reward'>): string {
  return notice.reward ? `reward ${notice.agent}` : `agent "${notice.agent}"`;
}
