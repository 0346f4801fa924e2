import { open } from 'node:fs/promises';

/**
 * The longest line read, in characters. A prompt row or a trace row is far smaller; without a
 * limit a file with no line breaks (a binary, /dev/zero) grows one string until V8 gives up with
 * a RangeError and a stack trace instead of a message.
 */
const MAX_LINE_CHARS = 128 * 1024 * 1024;

/** A line the reader refuses (not UTF-8, too long): its number and why, so a problem can name that line. */
export class LineError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line} ${reason}`);
  }
}

export interface FileLinesOptions {
  /** Default MAX_LINE_CHARS. */
  maxLineChars?: number;
  /**
   * Ends the read at the next chunk, rejecting with the signal's reason (the file is closed). A
   * big trace takes seconds to read, and a cancel must not wait for it. Checked between chunks:
   * the lines of one chunk are handed out without a pause in which an abort could come. A file
   * read to its end is whole, cancel or not.
   */
  signal?: AbortSignal;
}

/**
 * The lines of a text file, streamed (one line in memory at a time), without their line breaks
 * (\n, \r\n). The file's byte-order mark is dropped (the decoder does it), and only that one:
 * a second U+FEFF is text of line 1, for the reader to refuse or drop as it does on any line
 * (row-checker.ts). Open errors (e.g. ENOENT) reject the first `next()`; a line longer than
 * MAX_LINE_CHARS, or one that is not UTF-8, rejects naming it; stopping early closes the file.
 */
export async function* fileLines(path: string, { maxLineChars = MAX_LINE_CHARS, signal }: FileLinesOptions = {}): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  const stream = handle.createReadStream();
  const decoder = new LineDecoder();
  // The unfinished line, as the pieces each chunk added. Joined once, when its break comes:
  // appending to one string and searching it would copy a long line again for every chunk.
  let pending: string[] = [];
  let pendingChars = 0;
  let line = 0;
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      const text = decoder.decode(chunk as Buffer, line);
      let start = 0;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', start)) {
        const end = text.slice(start, at);
        line++;
        yield lineText(pending.length ? pending.join('') + end : end);
        pending = [];
        pendingChars = 0;
        start = at + 1;
      }
      if (start < text.length) {
        pending.push(text.slice(start));
        pendingChars += text.length - start;
      }
      if (pendingChars > maxLineChars) throw new LineError(line + 1, `is longer than ${maxLineChars.toLocaleString('en-US')} characters: is this a JSONL text file?`);
    }
    const last = pending.join('') + decoder.end(line);
    if (last) {
      line++;
      yield lineText(last);
    }
  } finally {
    stream.destroy();
  }
}

/** The file's text, chunk by chunk; a byte that is not UTF-8 throws a LineError naming its line. */
class LineDecoder {
  // Fatal: bytes that are not UTF-8 are reported, not silently turned into U+FFFD.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  // The bytes of a character the last chunk began and the decoder holds, to find a fault where they are continued.
  private unfinished: Uint8Array = NO_BYTES;

  /** The text of `chunk` (none: the file's end), `line` lines having been read before it. */
  decode(chunk: Buffer | undefined, line: number): string {
    try {
      const text = chunk ? this.decoder.decode(chunk, { stream: true }) : this.decoder.decode();
      if (chunk) this.unfinished = unfinishedTail(Buffer.concat([this.unfinished, chunk.subarray(-3)]));
      return text;
    } catch {
      throw new LineError(badLine(this.unfinished, chunk, line), 'is not valid UTF-8 text');
    }
  }

  /** The text the decoder still holds at the file's end: none, unless the file ends inside a character. */
  end(line: number): string {
    return this.decode(undefined, line);
  }
}

function lineText(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The bytes ending `bytes` that begin a character they do not finish: what a streaming decoder
 * holds for the next chunk. Only the last 3 bytes matter (a character has at most 4).
 */
function unfinishedTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the character began further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.slice(bytes.length - back) : NO_BYTES;
  }
  return NO_BYTES;
}

/** The line (1-based) of the first byte of `bytes` that is not UTF-8, as the reader names it. */
export function firstNonUtf8Line(bytes: Uint8Array): number {
  return badLine(NO_BYTES, bytes, 0);
}

/**
 * The line of the first byte that is not UTF-8 in `chunk`, continuing the `unfinished` character
 * the last chunk began, `line` lines having been read before it; no chunk: the file ended inside
 * a character. The bytes are searched from the unfinished character on, so a fault in it is
 * found before a later one in the chunk; and not as a lenient decoding's first U+FFFD: a file
 * may hold U+FFFD itself, on an earlier line.
 */
function badLine(unfinished: Uint8Array, chunk: Uint8Array | undefined, line: number): number {
  if (!chunk) return line + 1;
  // The unfinished bytes decode alone (the last chunk did), and hold no line break.
  const valid = validPrefix(Buffer.concat([unfinished, chunk])) - unfinished.length;
  let breaks = 0;
  for (let i = 0; i < valid; i++) if (chunk[i] === 0x0a) breaks++;
  return line + breaks + 1;
}

/** The length of the longest prefix of `bytes` that is UTF-8 (a character it cuts short counts). */
function validPrefix(bytes: Uint8Array): number {
  const decodes = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(bytes.length)) return bytes.length;
  // Binary search: a prefix of UTF-8 is UTF-8, so `decodes` is true up to a point and false after.
  let ok = 0;
  let bad = bytes.length;
  while (bad - ok > 1) {
    const mid = (ok + bad) >>> 1;
    if (decodes(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}
