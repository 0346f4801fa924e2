import { retrySubject, type RetryNotice } from '../agents/types';
import { count } from '../../shared/plural';

/** How often, at most, the retries not said of one endpoint and reason are counted. */
const COUNT_EVERY_MS = 5_000;

/** The retries of one endpoint for one reason since the last line about them. */
interface Unsaid {
  subject: string;
  /** The latest one's words. */
  reason: string;
  count: number;
  saidAt: number;
}

/**
 * What `toa run`, `toa compare` and the extension's log say about retries: the first of each
 * endpoint and reason in full, then how many more, at most every `everyMs` and at the end. An
 * endpoint that is down fails every call alike, and a line per retry (8 calls x 5 retries)
 * buried the rest; the end of the run's table (the panel's Agents table) still counts each one.
 */
export class RetryLines {
  private readonly kinds = new Map<string, Unsaid>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly everyMs = COUNT_EVERY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  notice(n: RetryNotice): void {
    const subject = retrySubject(n);
    const key = `${subject}\n${reasonKind(n.reason)}`;
    const kind = this.kinds.get(key);
    if (kind === undefined) {
      this.kinds.set(key, { subject, reason: n.reason, count: 0, saidAt: this.now() });
      this.write(`retry: ${subject} attempt ${n.attempt} after ${n.reason} (waiting ${n.delayMs} ms)`);
      return;
    }
    kind.count++;
    kind.reason = n.reason;
    if (this.now() - kind.saidAt >= this.everyMs) this.say(kind);
  }

  /** Counts the retries not said yet: at the end of the command, however it ends. */
  flush(): void {
    for (const kind of this.kinds.values()) if (kind.count > 0) this.say(kind);
  }

  private say(kind: Unsaid): void {
    this.write(`retry: ${kind.subject}: ${count(kind.count, 'more retry', 'more retries')} (${kind.reason})`);
    kind.count = 0;
    kind.saidAt = this.now();
  }
}

/**
 * A reason without its numbers and their units, which change from one retry to the next of the
 * same fault (a rate limit's "try again in 1.2s", or "in 845ms", its usage counts), and without
 * the request IDs a server puts in each error (OpenAI's 5xx "request ID req_3f9a…", a UUID, a
 * hex trace ID); a leading HTTP status stays: 429 and 503 differ.
 */
function reasonKind(reason: string): string {
  const status = /^\d{3}\b/.exec(reason)?.[0] ?? '';
  return status + reason.slice(status.length).replace(REQUEST_ID, '#').replace(/\d[\d.]*[a-z]*/gi, '#');
}

/** `req_<id>`, a UUID, or a run of 8 or more hex digits: an ID no two requests share. */
const REQUEST_ID = /\breq_\w+|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b|\b[0-9a-f]{8,}\b/gi;
