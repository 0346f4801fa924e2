import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

/**
 * Replies in the shapes real OpenAI-compatible servers document (written from their documentation
 * and issue reports, not captured), kept as raw HTTP in test/fixtures/endpoint-replies:
 * `#` lines first (what the reply is and where its shape is documented), then the status line,
 * the headers, a blank line and the body, sent byte for byte as written.
 */
interface RecordedReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const FOLDER = join(__dirname, '../fixtures/endpoint-replies');

function recordedReply(name: string): RecordedReply {
  const text = readFileSync(join(FOLDER, `${name}.http`), 'utf8').replace(/^(#.*\n)+/, '');
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error(`${name}.http: no blank line after the headers`);
  const [statusLine, ...headerLines] = text.slice(0, split).split('\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})\b/.exec(statusLine ?? '')?.[1]);
  if (!Number.isInteger(status)) throw new Error(`${name}.http: no status line`);
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status, headers, body: Buffer.from(text.slice(split + 2), 'utf8') };
}

/** Sends the recorded reply `name` as the answer to one request. */
export function sendRecorded(res: ServerResponse, name: string): void {
  const { status, headers, body } = recordedReply(name);
  res.writeHead(status, headers);
  res.end(body);
}
