import type { ChatMessage } from '../chat';
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

export class RewardError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    /** The reward endpoint could not be reached at all (see Fault.unreachable). */
    readonly unreachable = false,
    /** Calls made before giving up. */
    readonly attempts = 1,
    /** The endpoint refused a request field the config sets (see Fault.refused): every call would fail alike. */
    readonly refused = false,
    /** The HTTP status of the last attempt, when the endpoint answered with an error. */
    readonly status?: number,
    /** What the message ends with when it names the request: ` (POST <url>)`, the URL as messages show it. */
    readonly request?: string,
    /** fetch refused the endpoint's port without connecting (see Fault.blockedPort). */
    readonly blockedPort = false,
  ) {
    super(message);
    this.name = 'RewardError';
  }

  /** The same failure, said otherwise (see createModels: without the run's keys). */
  withMessage(message: string): RewardError {
    return new RewardError(message, this.provider, this.unreachable, this.attempts, this.refused, this.status, this.request, this.blockedPort);
  }
}

/**
 * Runs `read` on a reply that took `attempts` calls; a RewardError it throws (a score missing
 * from the reply) carries those attempts, so the run counts the retries before it. Its message
 * quotes the reply, where a server may have echoed the key it was sent: `apiKey` is redacted.
 */
export function readScore(attempts: number, read: () => number, apiKey?: string): Scored {
  try {
    return { reward: read(), attempts };
  } catch (error) {
    if (error instanceof RewardError) throw new RewardError(redact(error.message, apiKey), error.provider, error.unreachable, attempts, error.refused);
    throw error;
  }
}
