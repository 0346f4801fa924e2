import type { ChatMessage } from '../chat';
import type { NoConnection } from '../util/errors';

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

/** What a call that failed for good knows besides its message. */
export interface CallFacts {
  /** Attempts made before giving up. */
  attempts: number;
  /** The HTTP status of the last attempt, when the endpoint answered with an error. */
  status?: number;
  /** No attempt reached the server, and why (see Fault.unreachable). */
  unreachable?: NoConnection;
  /** What its attempts cost although none gave an answer, when a server said or it can be estimated. */
  spent?: Spent;
  /** The endpoint refused a request field the config sets (see Fault.refused): every call would fail alike. */
  refused?: boolean;
  /** The account behind the key has no credit left (see Fault.noCredit). */
  noCredit?: boolean;
}

/** A call that failed for good, with a reason fit to show the user. */
export class CallError extends Error {
  readonly attempts: number;
  readonly status?: number;
  readonly unreachable?: NoConnection;
  readonly spent?: Spent;
  readonly refused: boolean;
  readonly noCredit: boolean;

  constructor(
    message: string,
    readonly agent: string,
    facts: CallFacts,
  ) {
    super(message);
    this.name = 'CallError';
    this.attempts = facts.attempts;
    this.status = facts.status;
    this.unreachable = facts.unreachable;
    this.spent = facts.spent;
    this.refused = facts.refused ?? false;
    this.noCredit = facts.noCredit ?? false;
  }

  withSpent(spent: Spent): CallError {
    return new CallError(this.message, this.agent, { ...this.facts(), spent });
  }

  /** The same failure, said otherwise (see createModels: without the run's keys). */
  withMessage(message: string): CallError {
    return new CallError(message, this.agent, this.facts());
  }

  private facts(): CallFacts {
    const { attempts, status, unreachable, spent, refused, noCredit } = this;
    return { attempts, status, unreachable, spent, refused, noCredit };
  }
}

/** Who a retry notice is about, as messages name it: `agent "large"` or `reward vllm`. */
export function retrySubject(notice: Pick<RetryNotice, 'agent' | 'reward'>): string {
  return notice.reward ? `reward ${notice.agent}` : `agent "${notice.agent}"`;
}
