import { open, type FileHandle } from 'node:fs/promises';
import { stripBom } from './file-lines';

const CHUNK = 64 * 1024;

/**
 * The last `maxLines` whole lines of a text file (without line breaks), read backwards from its
 * end, reading at most `maxBytes`: recovery looks only at what the latest run wrote, and must
 * not read a multi-gigabyte output to find it (and the byte before them, which tells whether
 * they begin a line). A missing file has no lines. A line cut by the byte limit is left out
 * rather than returned in part; one it begins exactly is kept. Only lines that begin at or after
 * the byte offset `from` are read (the rows a run appended after it). Lines end at \n or \r\n.
 * The file's byte-order mark is dropped when the read reaches the file's start.
 */
export async function readTailLines(path: string, maxLines: number, maxBytes: number, from = 0): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let start = size;
    let breaks = 0;
    // One break more than lines wanted marks where the first wanted line begins.
    const floor = Math.min(from, size);
    while (start > floor && breaks <= maxLines && size - start < maxBytes) {
      const at = Math.max(floor, start - CHUNK, size - maxBytes);
      const chunk = Buffer.alloc(start - at);
      await handle.read(chunk, 0, chunk.length, at);
      for (const byte of chunk) if (byte === 0x0a) breaks++;
      chunks.unshift(chunk);
      start = at;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    // A byte-order mark (an editor saved the file) is no text of the first line, as fileLines
    // reads inputs; only the one at byte 0: a U+FEFF anywhere else is a line's own text.
    const lines = (start === 0 ? stripBom(text) : text).split('\n');
    if (start > 0 && !(await afterBreak(handle, start))) lines.shift(); // began mid-line
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-maxLines).map((line) => line.replace(/\r$/, ''));
  } finally {
    await handle.close();
  }
}

async function afterBreak(handle: FileHandle, at: number): Promise<boolean> {
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, at - 1);
  return byte[0] === 0x0a;
}
