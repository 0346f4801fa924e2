import type { ChatMessage } from '../chat';
import type { NoConnection } from '../util/errors';
import { redact } from '../util/redact';

export interface RewardInput {
  /** The original prompt (never the refine prompt). */
  messages: ChatMessage[];
  response: string;
  reference?: string;
  /** The prompt row's id, so errors can say which row they are about. */
  promptId?: string;
}

/** A score, and the calls it took (1 = no retry; for the run's reward statistics). */
export interface Scored {
  reward: number;
  attempts: number;
}

/** A reward model: any scorer of (original prompt, response). Higher is better. */
export interface RewardModel {
  readonly name: string;
  score(input: RewardInput, signal: AbortSignal): Promise<Scored>;
}

/** What a reward call that failed knows besides its message. */
export interface RewardFacts {
  /** The reward endpoint could not be reached at all, and why (see Fault.unreachable). */
  unreachable?: NoConnection;
  /** Calls made before giving up (1 when not said). */
  attempts?: number;
  /** The endpoint refused a request field the config sets (see Fault.refused): every call would fail alike. */
  refused?: boolean;
  /** The HTTP status of the last attempt, when the endpoint answered with an error. */
  status?: number;
  /** What the message ends with when it names the request: ` (POST <url>)`, the URL as messages show it. */
  request?: string;
  /** The account behind the key has no credit left (see Fault.noCredit): a judge's. */
  noCredit?: boolean;
  /**
   * The endpoint answered, but no score could be read from its reply as the config reads it (a
   * scorePath that is not in the reply, a judge reply without a verdict): if no reply ever had
   * one, every reply is likely read alike (see Rejections).
   */
  unread?: boolean;
}

export class RewardError extends Error {
  readonly unreachable?: NoConnection;
  readonly attempts: number;
  readonly refused: boolean;
  readonly status?: number;
  readonly request?: string;
  readonly noCredit: boolean;
  readonly unread: boolean;

  constructor(
    message: string,
    readonly provider: string,
    facts: RewardFacts = {},
  ) {
    super(message);
    this.name = 'RewardError';
    this.unreachable = facts.unreachable;
    this.attempts = facts.attempts ?? 1;
    this.refused = facts.refused ?? false;
    this.status = facts.status;
    this.request = facts.request;
    this.noCredit = facts.noCredit ?? false;
    this.unread = facts.unread ?? false;
  }

  /** The same failure, said otherwise (see createModels: without the run's keys); `attempts` when more calls were made. */
  withMessage(message: string, attempts = this.attempts): RewardError {
    const { unreachable, refused, status, request, noCredit, unread } = this;
    return new RewardError(message, this.provider, { unreachable, attempts, refused, status, request, noCredit, unread });
  }
}

/**
 * Runs `read` on a reply that took `attempts` calls; a RewardError it throws (a score missing
 * from the reply) is `unread` and carries those attempts, so the run counts the retries before it. Its message
 * quotes the reply, where a server may have echoed the key it was sent: `apiKey` is redacted.
 */
export function readScore(attempts: number, read: () => number, apiKey?: string): Scored {
  try {
    return { reward: read(), attempts };
  } catch (error) {
    if (error instanceof RewardError) throw new RewardError(redact(error.message, apiKey), error.provider, { attempts, unread: true });
    throw error;
  }
}
