import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/**
 * The last `maxLines` whole lines of a text file (without line breaks), read backwards from its
 * end, reading at most `maxBytes`: recovery looks only at what the latest run wrote, and must
 * not read a multi-gigabyte output to find it (and the byte before them, which tells whether
 * they begin a line). A missing file has no lines. A line cut by the byte limit is left out
 * rather than returned in part; one it begins exactly is kept.
 */
export async function readTailLines(path: string, maxLines: number, maxBytes: number): Promise<string[]> {
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
    while (start > 0 && breaks <= maxLines && size - start < maxBytes) {
      const from = Math.max(0, start - CHUNK, size - maxBytes);
      const chunk = Buffer.alloc(start - from);
      await handle.read(chunk, 0, chunk.length, from);
      for (const byte of chunk) if (byte === 0x0a) breaks++;
      chunks.unshift(chunk);
      start = from;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
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
