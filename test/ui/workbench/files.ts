import { readFile } from 'node:fs/promises';

/**
 * Polls a JSONL file until `done(rows)` holds, parsing every line as JSON (a bad line fails at
 * once: it is a bug, not a wait). Throws with what it last saw after `timeoutMs`.
 */
export async function pollJsonl<T = unknown>(path: string, done: (rows: T[]) => boolean, timeoutMs = 20_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let last = '(missing)';
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      last = text;
      const rows = text.split('\n').filter((l) => l.trim()).map((line, i) => {
        try {
          return JSON.parse(line) as T;
        } catch (error) {
          throw new Error(`${path}:${i + 1} is not JSON: ${line.slice(0, 200)}`, { cause: error });
        }
      });
      if (done(rows)) return rows;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${path}; it holds:\n${last.slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
