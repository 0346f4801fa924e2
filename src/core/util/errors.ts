/**
 * The error's message and, in parentheses, its root cause: the SDK's "Connection error." wraps
 * fetch's "fetch failed", which wraps the socket error that says what happened and where
 * ("connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND host").
 */
export function causeText(error: Error): string {
  const root = rootCause(error);
  return root !== error && root.message !== error.message ? `${error.message} (${root.message})` : error.message;
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
 * Errors that say no connection could be made at all: nothing listens there, or the name or
 * route does not exist. A reset, a closed socket or a cut body means a server was there.
 */
const NO_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function isNoConnection(error: Error): boolean {
  const code = (rootCause(error) as NodeJS.ErrnoException).code;
  return code !== undefined && NO_CONNECTION.has(code);
}
