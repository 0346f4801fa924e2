import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Requests above this are refused: the sim serves prompts, not uploads. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A request the sim refuses, sent as an OpenAI-style error body with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The error envelope OpenAI (and current vLLM) send; the openai SDK reads `error.message`. */
function errorBody(error: HttpError): object {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError, headers: OutgoingHttpHeaders = {}): void {
  sendJson(res, error.status, errorBody(error), headers);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}
