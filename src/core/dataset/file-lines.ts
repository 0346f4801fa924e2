import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * The lines of a text file, streamed (one line in memory at a time), without their line breaks
 * (\n, \r\n). A leading byte-order mark is dropped. Open errors (e.g. ENOENT) reject the first
 * `next()`; stopping early closes the file.
 */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  const stream = handle.createReadStream({ encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const text of lines) {
      yield first ? stripBom(text) : text;
      first = false;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
