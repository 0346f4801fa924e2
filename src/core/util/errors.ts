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
 * The root's message, and what its code means where the code alone is cryptic: a host name that
 * does not resolve is no server that is down (the advice an unreachable endpoint gets), and
 * "getaddrinfo ENOTFOUND" does not say that to everyone.
 */
function withGloss(root: Error): string {
  const gloss = GLOSSES[(root as NodeJS.ErrnoException).code ?? ''];
  return gloss === undefined ? root.message : `${root.message}: ${gloss}`;
}

const GLOSSES: Record<string, string> = {
  ENOTFOUND: "no such host (check the host name, and this machine's network and DNS)",
  EAI_AGAIN: "the host name could not be resolved (check this machine's network and DNS)",
};

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

/**
 * The error is fetch's refusal of a blocked port: no retry or server can change it, only another
 * port. Decided from the error itself, once, where a fault is first classified (Fault.blockedPort):
 * messages only say it, and a server's or proxy's text may say the same words.
 */
export function isBlockedPort(error: Error): boolean {
  return isBadPort(rootCause(error));
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
 * Errors that say no connection could be made at all: nothing listens there, the name or route
 * does not exist, or fetch refuses the port. A reset, a closed socket or a cut body means a
 * server was there.
 */
const NO_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function isNoConnection(error: Error): boolean {
  const root = rootCause(error);
  const code = (root as NodeJS.ErrnoException).code;
  return (code !== undefined && NO_CONNECTION.has(code)) || isBadPort(root);
}
