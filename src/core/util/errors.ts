/** The message of whatever was thrown: an Error's own message, anything else as a string. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What went wrong with a connection, in the words of the error that says it: the socket error at
 * the root ("connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND host"). The SDK's
 * "Connection error." and fetch's "fetch failed" wrap it and say nothing more, and agents and
 * rewards (one through the SDK, one through fetch) would describe the same fault differently; any
 * other wrapper's message is kept, with its root cause in parentheses.
 */
export function causeText(error: Error): string {
  const root = rootCause(error);
  const said = isBadPort(root) ? BLOCKED_PORT : withGloss(root);
  if (root === error || WRAPPERS.has(error.message)) return said;
  return said === error.message ? said : `${error.message} (${said})`;
}

/**
 * The root's message, and what its code means where the code alone is cryptic: "getaddrinfo
 * ENOTFOUND" does not say to everyone that the host name does not exist. What to check is the
 * run's advice (see EndpointDownError), which knows the config field.
 */
function withGloss(root: Error): string {
  const gloss = GLOSSES.get((root as NodeJS.ErrnoException).code ?? '');
  return gloss === undefined ? root.message : `${root.message}: ${gloss}`;
}

const GLOSSES: ReadonlyMap<string, string> = new Map([
  ['ENOTFOUND', 'no such host'],
  ['EAI_AGAIN', 'the host name could not be resolved (a DNS failure that may pass)'],
]);

/** Messages of wrappers that only say a connection failed. */
const WRAPPERS = new Set(['Connection error.', 'fetch failed']);

/**
 * fetch (undici's, so Node's and VS Code's) refuses, without trying, the ports the WHATWG fetch
 * standard blocks (6000, 6667, 9 and about 80 more) with a bare Error("bad port"): no code, no
 * address. undici's `request`, which the CLI uses, connects to them.
 */
const BLOCKED_PORT = 'bad port: fetch refuses to connect to this port';

function isBadPort(root: Error): boolean {
  return root.message === 'bad port' && (root as NodeJS.ErrnoException).code === undefined;
}

function rootCause(error: Error): Error {
  let at = error;
  for (let depth = 0; depth < 8; depth++) {
    // Trying every address of a host fails with an AggregateError of one error per address.
    const next: unknown = at.cause ?? (at instanceof AggregateError ? at.errors[0] : undefined);
    if (!(next instanceof Error)) break;
    at = next;
  }
  return at;
}

/**
 * Why no connection could be made at all, which says what to check: nothing listens at the
 * address (`refused`), the host name does not resolve (`no-host`), no network route leads there
 * (`no-route`), fetch refuses the port without trying (`blocked-port`: no retry or server changes
 * it, only another port), or a command reward's program could not be started (`no-program`).
 */
export type NoConnection = 'refused' | 'no-host' | 'no-route' | 'blocked-port' | 'no-program';

/** Socket error codes by what they say. A reset, a closed socket or a cut body is none: a server was there. */
const NO_CONNECTION: ReadonlyMap<string, NoConnection> = new Map([
  ['ECONNREFUSED', 'refused'],
  ['ENOTFOUND', 'no-host'],
  ['EAI_AGAIN', 'no-host'],
  ['EHOSTUNREACH', 'no-route'],
  ['ENETUNREACH', 'no-route'],
  ['EADDRNOTAVAIL', 'no-route'],
]);

/**
 * Why the error made no connection, or undefined when a connection was made. Decided from the
 * error itself, once, where a fault is first classified (Fault.unreachable): messages only say
 * it, and a server's or proxy's text may say the same words ("bad port").
 */
export function noConnection(error: Error): NoConnection | undefined {
  const root = rootCause(error);
  if (isBadPort(root)) return 'blocked-port';
  const code = (root as NodeJS.ErrnoException).code;
  return code === undefined ? undefined : NO_CONNECTION.get(code);
}
