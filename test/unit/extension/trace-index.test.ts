import assert from 'node:assert/strict';
import { appendFile, open, readFile, stat, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { conversationId, type ChatMessage } from '../../../src/core';
import { TraceIndex, type TraceFiles } from '../../../src/extension/trace-index';

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
const traceLine = (id: string, prompt: string): string => `${JSON.stringify({ promptId: id, conversation: conversationId(user(prompt)), messages: user(prompt), tree: { nodes: ['x'.repeat(200)] } })}\n`;

/** Node's fs, counting the bytes each kind of read takes. */
function countingFiles(): TraceFiles & { whole: number; partial: number } {
  const files = {
    whole: 0,
    partial: 0,
    stat: async (path: string) => {
      const s = await stat(path).catch(() => undefined);
      return s && { size: s.size, mtime: s.mtimeMs };
    },
    readAll: async (path: string) => {
      const bytes = await readFile(path);
      files.whole += bytes.length;
      return bytes;
    },
    readFrom: async (path: string, offset: number, length: number) => {
      const handle = await open(path, 'r');
      try {
        const bytes = Buffer.alloc(length);
        const { bytesRead } = await handle.read(bytes, 0, length, offset);
        files.partial += bytesRead;
        return bytes.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
  return files;
}

test('a trace that only grew is read from where the last read stopped; a rewritten one whole', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'toa-trace-index-')), 'traces.jsonl');
  const files = countingFiles();
  const index = new TraceIndex(files);
  const has = async (id: string, prompt: string): Promise<boolean> => (await index.traced(path)).has({ id, messages: user(prompt) });

  assert.equal(await has('a', 'alpha'), false, 'no file yet');
  await writeFile(path, traceLine('a', 'alpha'));
  assert.equal(await has('a', 'alpha'), true);
  const first = files.whole;
  const firstPartial = files.partial;

  // A run appends a row, then half of the next (mid-write): only the whole row counts.
  const beta = traceLine('b', 'beta');
  const gamma = traceLine('c', 'gamma');
  await appendFile(path, beta + gamma.slice(0, 50));
  assert.deepEqual([await has('b', 'beta'), await has('c', 'gamma')], [true, false]);
  await appendFile(path, gamma.slice(50));
  assert.equal(await has('c', 'gamma'), true);
  assert.equal(files.whole, first, 'no whole read while the file grows');
  // The appended bytes (the half row twice), plus a check of the bytes before them at each read.
  const appended = files.partial - firstPartial;
  assert.ok(appended <= beta.length + gamma.length + 50 + 2 * 256, `read ${appended} bytes for the appends`);

  // Rewritten (a user edited it): shorter, then longer with other rows.
  await writeFile(path, traceLine('a', 'alpha'));
  assert.deepEqual([await has('a', 'alpha'), await has('b', 'beta')], [true, false]);
  await writeFile(path, traceLine('d', 'delta') + traceLine('e', 'eps'));
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual([await has('a', 'alpha'), await has('d', 'delta'), await has('e', 'eps')], [false, true, true]);
});

test('a read that failed is tried again at the next refresh, not remembered as an empty trace', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'toa-trace-index-')), 'traces.jsonl');
  await writeFile(path, traceLine('a', 'alpha'));
  const files = countingFiles();
  let fail = true;
  const { readAll } = files;
  const readFrom = files.readFrom!;
  files.readAll = async (p) => {
    if (fail) throw new Error('EBUSY');
    return readAll(p);
  };
  files.readFrom = async (p, offset, length) => {
    if (fail) throw new Error('EBUSY');
    return readFrom(p, offset, length);
  };
  const index = new TraceIndex(files);
  assert.equal((await index.traced(path)).has({ id: 'a', messages: user('alpha') }), false);
  fail = false;
  assert.equal((await index.traced(path)).has({ id: 'a', messages: user('alpha') }), true);
});

test('a big trace is read in pieces, rows across their edges included, as it grows too', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'toa-trace-index-')), 'traces.jsonl');
  const rows = Array.from({ length: 40 }, (_, i) => traceLine(`p${i}`, `prompt ${i}`));
  // A row longer than a piece: a big tree.
  rows[7] = `${JSON.stringify({ promptId: 'p7', conversation: conversationId(user('prompt 7')), messages: user('prompt 7'), tree: { nodes: ['y'.repeat(2500)] } })}\n`;
  await writeFile(path, rows.join(''));
  const files = countingFiles();
  let largest = 0;
  const readFrom = files.readFrom!;
  files.readFrom = async (p, offset, length) => {
    largest = Math.max(largest, length);
    return readFrom(p, offset, length);
  };
  const index = new TraceIndex(files, 1000);
  const done = await index.traced(path);
  assert.deepEqual(rows.map((_, i) => done.has({ id: `p${i}`, messages: user(`prompt ${i}`) })), rows.map(() => true));
  assert.ok(largest <= 1000, `read ${largest} bytes at once`);
  assert.equal(files.whole, 0, 'never the whole file at once');
  await appendFile(path, rows.slice(0, 5).map((_, i) => traceLine(`q${i}`, `more ${i}`)).join(''));
  const grown = await index.traced(path);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => grown.has({ id: `q${i}`, messages: user(`more ${i}`) })), [true, true, true, true, true]);
  assert.ok(largest <= 1000);
});
