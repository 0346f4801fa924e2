import type { CallError } from '../agents/types';
import { RewardError } from '../rewards/types';
import type { NoConnection } from '../util/errors';
import { shownUrl } from '../util/redact';

/** Which endpoint could not be reached, and where the config sets it. */
export interface DownEndpoint {
  /** As messages name it: `agent "large"`, `the reward endpoint (vllm)`. */
  what: string;
  /** The config field that sets its URL (e.g. `agents[1].baseURL`) or its program (`reward.command`). */
  field?: string;
  url?: string;
}

/**
 * An endpoint that cannot be reached and has not answered once in this run: a wrong baseURL or
 * a server that is not running, not a passing fault. Going on would only fail every remaining
 * prompt after its retries (a 10,000-row input for hours), so it ends the run like OutputError.
 * The message names the config field and its URL: the run may name several endpoints, and the
 * field is what the user edits. What to check follows from why no connection was made.
 */
export class EndpointDownError extends Error {
  constructor({ what, field, url }: DownEndpoint, cause: CallError | RewardError) {
    const at = field === undefined || url === undefined ? '' : ` at ${asConfigured(url)} (${field})`;
    // The run makes this error only of a cause that says why (see everyCallFails); the commonest cause stands in.
    const check = reachAdvice({ what, field, url }, cause.unreachable ?? 'refused');
    super(`${what} cannot be reached${at} and has not answered once in this run (${ownReason(cause)}). ${check}`, { cause });
    this.name = 'EndpointDownError';
  }
}

/** What to check about an endpoint no connection reached, by why. */
export function reachAdvice({ field, url }: DownEndpoint, why: NoConnection): string {
  return ADVICE[why](field ?? 'its URL', url);
}

/** What to check, by why no connection was made, given the field that sets the endpoint. */
const ADVICE: Readonly<Record<NoConnection, (field: string, url?: string) => string>> = {
  refused: (field) => `Check ${field}, and that the server is running.`,
  'no-host': (field) => `Check the host name in ${field}, and this machine's network and DNS.`,
  'no-route': (field) => `Check ${field}, and this machine's network: no route leads to that address.`,
  'blocked-port': blockedPortAdvice,
  'no-program': (field) => `Check ${field}: the program must exist and be executable (it runs in the config file's folder).`,
};

/** No server can help there: fetch (the extension's client) refuses the port without connecting. */
function blockedPortAdvice(field: string, url: string | undefined): string {
  const port = url !== undefined && URL.canParse(url) ? new URL(url).port : '';
  const which = port ? `port ${port}` : 'its port';
  return `fetch refuses ${which} (the fetch standard blocks it): serve the endpoint on another port and change ${field}.`;
}

/** The URL as the config writes it, unless it holds what messages hide (see shownUrl): a user name or password, a query's values. */
export function asConfigured(url: string): string {
  if (!URL.canParse(url)) return url;
  const { username, password, search } = new URL(url);
  return username || password || search ? shownUrl(url) : url;
}

/**
 * The cause without the endpoint's name it starts with (`agent "large": `, `reward vllm: `) and
 * a reward's request it ends with (` (POST <url>)`): the message says both already.
 */
export function ownReason(cause: CallError | RewardError): string {
  const request = cause instanceof RewardError ? cause.request : undefined;
  const text = request !== undefined && cause.message.endsWith(request) ? cause.message.slice(0, -request.length) : cause.message;
  return text.replace(/^(agent "[^"]*"|reward \w+): /, '');
}
