/**
 * An endpoint that refuses a request field the config sets (a temperature its model does not
 * take, max_tokens where it wants max_completion_tokens) and has not answered once in this run:
 * every call would be refused alike, so going on would only fail every prompt. It ends the run
 * like EndpointDownError, with the message that names the config field to change.
 */
export class RequestRefusedError extends Error {
  constructor(cause: Error) {
    super(`${cause.message}. Every call with these settings would be refused, so the run stops.`, { cause });
    this.name = 'RequestRefusedError';
  }
}
