import type { CallError } from '../agents/types';
import { RewardError } from '../rewards/types';
import { shownUrl } from '../util/redact';

/** Which endpoint could not be reached, and where the config sets it. */
export interface Unreachable {
  /** As messages name it: `agent "large"`, `the reward endpoint (vllm)`. */
  what: string;
  /** The config field that sets its URL, e.g. `agents[1].baseURL`, and the URL. */
  field?: string;
  url?: string;
  /** What to check; default: the field, and that the server is running. */
  advice?: string;
}

/**
 * An endpoint that cannot be reached and has not answered once in this run: a wrong baseURL or
 * a server that is not running, not a passing fault. Going on would only fail every remaining
 * prompt after its retries (a 10,000-row input for hours), so it ends the run like OutputError.
 * The message names the config field and its URL: the run may name several endpoints, and the
 * field is what the user edits.
 */
export class EndpointDownError extends Error {
  constructor({ what, field, url, advice }: Unreachable, cause: CallError | RewardError) {
    const at = field === undefined || url === undefined ? '' : ` at ${asConfigured(url)} (${field})`;
    const check = advice ?? (cause.blockedPort ? blockedPortAdvice(field, url) : `Check ${at ? field : 'its URL'}, and that the server is running.`);
    super(`${what} cannot be reached${at} and has not answered once in this run (${reason(cause)}). ${check}`, { cause });
    this.name = 'EndpointDownError';
  }
}

/** No server can help there: fetch (the extension's client) refuses the port without connecting. */
function blockedPortAdvice(field: string | undefined, url: string | undefined): string {
  const port = url !== undefined && URL.canParse(url) ? new URL(url).port : '';
  const which = port ? `port ${port}` : 'its port';
  return `fetch refuses ${which} (the fetch standard blocks it): serve the endpoint on another port and change ${field ?? 'its URL'}.`;
}

/** The URL as the config writes it, unless it holds what messages hide (see shownUrl): a user name or password, a query's values. */
function asConfigured(url: string): string {
  if (!URL.canParse(url)) return url;
  const { username, password, search } = new URL(url);
  return username || password || search ? shownUrl(url) : url;
}

/**
 * The cause without the endpoint's name it starts with (`agent "large": `, `reward vllm: `) and
 * a reward's request it ends with (` (POST <url>)`): the message says both already.
 */
function reason(cause: CallError | RewardError): string {
  const request = cause instanceof RewardError ? cause.request : undefined;
  const text = request !== undefined && cause.message.endsWith(request) ? cause.message.slice(0, -request.length) : cause.message;
  return text.replace(/^(agent "[^"]*"|reward \w+): /, '');
}
