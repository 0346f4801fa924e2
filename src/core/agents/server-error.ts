import { jsonExcerpt } from '../util/excerpt';
import { isRecord } from '../util/is-record';
import { serverText } from '../util/server-text';
import { isRetryableStatus, type Fault } from './retry';

/**
 * An error a server sent as data: in an error body, in a stream event, or (OpenRouter) inside a
 * choice of a reply whose status was already 200. The shapes: OpenAI's `{"error": {"message",
 * "code"}}`, older vLLM's `{"object": "error", "message", "code"}`, LM Studio's older
 * `{"error": "text"}`, and OpenRouter's `{"error": {"code", "message", "metadata"}}`.
 */
export interface ServerError {
  message: string;
  /** The HTTP status the error stands for, which OpenRouter and vLLM send as its numeric `code`. */
  code?: number;
}

/** What an `error` field holds: its message (with OpenRouter's provider detail) and numeric code. */
export function readServerError(value: unknown): ServerError | undefined {
  if (typeof value === 'string') return value.trim() ? { message: serverText(value) } : undefined;
  if (!isRecord(value)) return undefined;
  const text = value.message;
  const message = typeof text === 'string' && text ? text : text === undefined || text === null || text === '' ? jsonExcerpt(value, 300) : JSON.stringify(text);
  // Only an HTTP status decides the retry: other numbers are a provider's own codes.
  const code = typeof value.code === 'number' && Number.isInteger(value.code) && value.code >= 400 && value.code <= 599 ? value.code : undefined;
  return { message: serverText(withProviderDetail(message, value.metadata)), ...(code === undefined ? {} : { code }) };
}

/** The error an error body carries: `{"error": ...}` or `{"object": "error", ...}`; undefined for any other body. */
export function errorInBody(body: unknown): ServerError | undefined {
  if (!isRecord(body)) return undefined;
  if (body.object === 'error') return readServerError(body);
  return body.error === undefined || body.error === null ? undefined : readServerError(body.error);
}

/**
 * The message of an error body in any shape a server uses: errorInBody's, or a top-level
 * `message` or `detail` (FastAPI's validation errors, which some reward and vLLM servers send).
 * Undefined when the body holds none.
 */
export function bodyMessage(body: unknown): string | undefined {
  const error = errorInBody(body);
  if (error) return error.message;
  if (!isRecord(body)) return undefined;
  const text = body.message ?? body.detail;
  if (text === undefined || text === null) return undefined;
  return serverText(typeof text === 'string' ? text : JSON.stringify(text));
}

/** Tried again unless its code says another try would fail alike (a 400 for this request). */
export function serverErrorFault(error: ServerError, where: string): Fault {
  return { retryable: error.code === undefined || isRetryableStatus(error.code), reason: `${where}: ${error.message}`, ...(error.code === undefined ? {} : { status: error.code }) };
}

/**
 * OpenRouter passes a provider's failure on as "Provider returned error", with the provider's name
 * and its own reply in `metadata`: only that reply says which quota, field or outage it was, so it
 * goes into the message. `raw` is often the provider's JSON error, as text.
 */
function withProviderDetail(message: string, metadata: unknown): string {
  if (!isRecord(metadata) || metadata.raw === undefined || metadata.raw === null || metadata.raw === '') return message;
  const raw = typeof metadata.raw === 'string' ? rawMessage(metadata.raw) : jsonExcerpt(metadata.raw, 300);
  const provider = typeof metadata.provider_name === 'string' ? `${metadata.provider_name}: ` : '';
  return `${message} (${provider}${serverText(raw)})`;
}

function rawMessage(raw: string): string {
  try {
    return errorInBody(JSON.parse(raw))?.message ?? raw;
  } catch {
    return raw;
  }
}
