/**
 * An endpoint that cannot be reached and has not answered once in this run: a wrong baseURL or
 * a server that is not running, not a passing fault. Going on would only fail every remaining
 * prompt after its retries (a 10,000-row input for hours), so it ends the run like OutputError.
 */
export class EndpointDownError extends Error {
  constructor(what: string, cause: Error, advice = 'Check its URL, and that the server is running.') {
    super(`${what} cannot be reached and has not answered once in this run (${cause.message}). ${advice}`, { cause });
    this.name = 'EndpointDownError';
  }
}
