import OpenAI from 'openai';
import { causeText, errorText, noConnection } from '../util/errors';
import { jsonExcerpt } from '../util/excerpt';
import { isRecord } from '../util/is-record';
import { serverText } from '../util/server-text';
import { FaultError, isRetryableStatus, retryAfterMs, type Fault } from './retry';
import { bodyMessage, readServerError, serverErrorFault } from './server-error';

/**
 * Sorts whatever one chat attempt threw into a fault: retryable (rate limits, server errors,
 * timeouts, lost connections, malformed replies) or final (bad request, auth, unknown model).
 */
export function classifyChatError(error: unknown, now: number): Fault {
  if (error instanceof FaultError) return error.fault;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { retryable: true, reason: 'timed out' };
  if (error instanceof OpenAI.APIConnectionError) return connectionFault(error);
  if (error instanceof OpenAI.APIError) {
    // No status: the server sent an error event in the middle of a stream; its code may say more.
    if (error.status === undefined) return serverErrorFault(readServerError(error.error) ?? { message: serverText(error.message) }, 'server error mid-stream');
    // OpenAI answers an account without credit with a 429 as it does a rate limit, but no wait
    // ends it: its code says which ("You exceeded your current quota"). OpenRouter sends a 402.
    if (error.status === 429 && (error.code === NO_CREDIT || error.type === NO_CREDIT)) return { retryable: false, reason: error.message, status: 429, noCredit: true };
    return {
      retryable: isRetryableStatus(error.status),
      // The server's part is shortened already (see ChatClient).
      reason: error.message,
      status: error.status,
      retryAfterMs: retryAfterMs(error.headers, now),
    };
  }
  // The SDK throws SyntaxError for a body or stream chunk that is not JSON.
  if (error instanceof SyntaxError) return { retryable: true, reason: `malformed reply: ${error.message}` };
  // undici reports a socket closed mid-body as a TypeError ("terminated").
  if (error instanceof TypeError) return { retryable: true, reason: `connection lost: ${causeText(error)}` };
  return { retryable: false, reason: errorText(error) };
}

/** OpenAI's code (and type) for an account out of credit. */
const NO_CREDIT = 'insufficient_quota';

/**
 * A connection that failed, for agents and HTTP rewards alike: retried, unless fetch refused the
 * port, which no retry changes.
 */
export function connectionFault(error: Error): Fault {
  const unreachable = noConnection(error);
  return { retryable: unreachable !== 'blocked-port', reason: `connection failed: ${causeText(error)}`, unreachable };
}

/**
 * The OpenAI client, with error bodies read in more shapes. The SDK takes the server's message
 * from `{"error": {...}}` only; vLLM (older versions) and FastAPI servers put it at the top
 * level (`{"message": ...}`, `{"detail": ...}`), which would otherwise surface as "no body", and
 * OpenRouter's "Provider returned error" says what the provider said only in its metadata.
 * What the server said is shortened here, once (see serverText).
 */
export class ChatClient extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): InstanceType<typeof OpenAI.APIError> {
    // `message` is a body that is not JSON (a proxy's HTML page), which the SDK would quote whole.
    return super.makeStatusError(status, withErrorField(error), message === undefined ? undefined : serverText(message), headers);
  }
}

function withErrorField(body: object): object {
  // Typed as an object, but undefined at runtime when the body was not JSON. Gemini's is an array
  // of one error body, of which the SDK would say "no body".
  const errorBody: unknown = Array.isArray(body) ? body[0] : body;
  const message = bodyMessage(errorBody) ?? unreadError(errorBody);
  if (message === undefined) return body;
  const record = isRecord(errorBody) ? errorBody : {};
  // The error's other fields (code, param) stay: refusedParam reads them.
  return { ...record, error: { ...(isRecord(record.error) ? record.error : {}), message } };
}

/**
 * An `error` without a message where bodyMessage looks, by its start: the SDK would quote the
 * whole of its JSON (FastAPI's list of 200 validation errors is 10,000 characters).
 */
function unreadError(body: unknown): string | undefined {
  if (!isRecord(body) || body.error === undefined || body.error === null || body.error === '') return undefined;
  return jsonExcerpt(body.error, 300);
}
