import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { propertyRuns } from '../property-runs';
import { heldLock } from './held-lock';
import { tempDir } from './temp-dir';
import { fileLines, LineError, stripBom } from '../../../src/core/dataset/file-lines';
import { readTailLines } from '../../../src/core/dataset/tail-lines';
import { openJsonlAppender, readDonePrompts, type RepairReport } from '../../../src/core/dataset/writer';

/**
 * The JSONL files' invariants over arbitrary rows (any Unicode, lone surrogates, long rows),
 * batches and crash points: a crash cuts the file at any byte, and what the next run finds and
 * writes is still whole lines, none lost but the ones cut, none twice.
 */

const RUNS = propertyRuns(424_242, 40);
const inDir = tempDir('toa-jsonl-props-');
const held = heldLock(inDir);
let files = 0;
const freshPath = (): string => inDir(`f${files++}.jsonl`);

/** A long run of one character, so some rows span the writer's and readers' 64 KiB chunks. */
const longText = fc.tuple(fc.constantFrom('x', 'é', '日', '😀'), fc.integer({ min: 20_000, max: 80_000 })).map(([c, n]) => c.repeat(n));
const text = fc.oneof({ weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, { weight: 1, arbitrary: longText });
const row = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.oneof(text, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }).map((value) => JSON.stringify(value));
const batches = fc.array(fc.array(row, { maxLength: 4 }), { maxLength: 4 });

describe('JSONL appender: crash at any byte, then the next run', () => {
  it('keeps every whole row once, drops only the cut one, and appends whole lines after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ batches, cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })) }), { minLength: 1, maxLength: 4 }), async (runs) => {
        const path = freshPath();
        let expected: string[] = [];
        for (const run of runs) {
          const reports: RepairReport[] = [];
          const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: (r) => reports.push(r) } });
          assert.deepEqual(reports, [], 'the file was cut at a line end, or already repaired');
          for (const batch of run.batches) await out.append(batch);
          await out.close();
          expected.push(...run.batches.flat());
          // No row yet: the file is created by its first one (see openJsonlAppender), and there is nothing to cut.
          if (run.cut === null || !existsSync(path)) continue;
          const bytes = await readFile(path);
          const cut = Math.floor(run.cut * bytes.length);
          await truncate(path, cut);
          // Rows whose JSON ends at or before the cut are whole; a row cut before its '\n' only is whole too.
          let end = 0;
          expected = expected.filter((line) => (end += Buffer.byteLength(line) + 1) - 1 <= cut);
          const repairs: RepairReport[] = [];
          await (await openJsonlAppender(path, { repair: { lock: held(), onRepair: (r) => repairs.push(r) } })).close();
          const keptBytes = expected.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
          assert.deepEqual(repairs.map((r) => r.droppedBytes), keptBytes >= cut ? [] : [cut - keptBytes]);
        }
        const content = existsSync(path) ? await readFile(path, 'utf8') : '';
        assert.deepEqual(content.split('\n'), [...expected, '']);
        for (const line of expected) JSON.parse(line);
      }),
      RUNS,
    );
  });
});

describe('JSONL appender: a file an editor saved', () => {
  it('keeps every row, with or without a byte-order mark, CRLF breaks or a final break', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), fc.boolean(), async (rows, bom, crlf, finalBreak) => {
        const path = freshPath();
        const br = crlf ? '\r\n' : '\n';
        await writeFile(path, (bom ? '\uFEFF' : '') + rows.join(br) + (finalBreak ? br : ''));
        const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: (r) => assert.fail(`dropped ${JSON.stringify(r.dropped)}`) } });
        await out.append(['{"new":1}']);
        await out.close();
        const lines: string[] = [];
        for await (const line of fileLines(path)) lines.push(line);
        assert.deepEqual(lines, [...rows, '{"new":1}']);
      }),
      RUNS,
    );
  });
});

/** Lines of text (no '\n'; '\r', U+FFFD, a BOM and any other character allowed), as a file holds them. */
const lineList = fc.array(fc.oneof({ weight: 8, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) }, { weight: 1, arbitrary: longText }, { weight: 1, arbitrary: fc.constantFrom('', '\r', '\uFEFF{}', '\uFFFD', 'a\r\r') }), { maxLength: 12 }).map((lines) => lines.map((l) => l.replaceAll('\n', ' ')));
const fileText = fc.record({ lines: lineList, bom: fc.boolean(), finalBreak: fc.boolean(), crlf: fc.boolean() });

function render(f: { lines: string[]; bom: boolean; finalBreak: boolean; crlf: boolean }): string {
  const body = f.lines.join(f.crlf ? '\r\n' : '\n') + (f.finalBreak && f.lines.length ? (f.crlf ? '\r\n' : '\n') : '');
  return (f.bom ? '\uFEFF' : '') + body;
}

/** What a reader should give: lines without their breaks (one trailing '\r' too), without the BOM, no line after a final break. */
function expectedLines(content: string): string[] {
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, ''));
}

describe('reading lines back', () => {
  it('fileLines gives each line whole, whatever its characters and length', async () => {
    await fc.assert(
      fc.asyncProperty(fileText, async (f) => {
        const path = freshPath();
        const content = render(f);
        await writeFile(path, content);
        const lines: string[] = [];
        for await (const line of fileLines(path)) lines.push(line);
        // The file's BOM goes; a second one (a first line '\uFEFF{}') is that line's text.
        assert.deepEqual(lines, expectedLines(stripBom(content)));
      }),
      RUNS,
    );
  });

  it('fileLines names the line of the first byte that is not UTF-8', async () => {
    const badBytes = fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0x80]);
    await fc.assert(
      fc.asyncProperty(fileText, fc.nat(), fc.nat(), badBytes, async (f, lineAt, charAt, bad) => {
        fc.pre(f.lines.length > 0);
        const lines = [...f.lines];
        const index = lineAt % lines.length;
        const line = lines[index]!;
        // Split only between whole code points, so the rest of the line stays valid.
        const chars = [...line];
        const at = charAt % (chars.length + 1);
        const before = render({ ...f, finalBreak: false, lines: [...lines.slice(0, index), chars.slice(0, at).join('')] });
        const after = render({ ...f, bom: false, lines: [chars.slice(at).join(''), ...lines.slice(index + 1)] });
        // Followed by ASCII, so an unfinished sequence cannot be completed by what comes next.
        const path = freshPath();
        await writeFile(path, Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from('!'), Buffer.from(after)]));
        await assert.rejects(
          (async () => {
            for await (const _ of fileLines(path));
          })(),
          (error) => error instanceof LineError && error.line === index + 1,
        );
      }),
      RUNS,
    );
  });

  it('readTailLines gives the last lines whole, and with a byte limit each line that begins inside it', async () => {
    await fc.assert(
      fc.asyncProperty(fileText, fc.integer({ min: 1, max: 15 }), fc.nat(), async (f, maxLines, limit) => {
        const path = freshPath();
        const content = render(f);
        await writeFile(path, content);
        // The file's BOM goes with the start of the file; a U+FEFF after it (a first line
        // '\uFEFF{}' behind a BOM, or any later line's) is text, as fileLines reads it.
        const all = expectedLines(stripBom(content));
        assert.deepEqual(await readTailLines(path, maxLines, Number.MAX_SAFE_INTEGER), all.slice(-maxLines));
        const size = Buffer.byteLength(content);
        const maxBytes = 1 + (limit % (size + 1));
        // Every line that begins inside the last maxBytes bytes, none that begins before them.
        let at = 0;
        const starts = content.split('\n').map((piece) => {
          const start = at;
          at += Buffer.byteLength(piece) + 1;
          return start;
        });
        const inWindow = all.filter((_, i) => starts[i]! >= size - maxBytes);
        assert.deepEqual(await readTailLines(path, maxLines, maxBytes), inWindow.slice(-maxLines), 'the whole lines the byte limit holds');
      }),
      RUNS,
    );
  });
});

describe('resume reading a trace file', () => {
  it('readDonePrompts takes every line as a trace row or skips it with its line, never fails', async () => {
    const traceLike = fc.record(
      { promptId: fc.oneof(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 })), conversation: fc.oneof(fc.stringMatching(/^[0-9a-f]{1,14}$/), fc.jsonValue({ maxDepth: 1 })), messages: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })), configHash: fc.jsonValue({ maxDepth: 1 }) },
      { requiredKeys: [] },
    );
    const traceLine = fc.oneof({ weight: 4, arbitrary: traceLike.map((row) => JSON.stringify(row)) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(traceLine, { maxLength: 8 }), async (lines) => {
        const clean = lines.map((l) => l.replace(/[\r\n]/g, ' '));
        const path = freshPath();
        await writeFile(path, clean.map((l) => `${l}\n`).join(''));
        const skipped: number[] = [];
        const done = await readDonePrompts(path, { onSkip: (line) => skipped.push(line) });
        const blank = clean.filter((l) => !l.trim()).length;
        assert.equal(done.size <= clean.length - blank - skipped.length, true);
        for (const line of skipped) assert.ok(line >= 1 && line <= clean.length);
      }),
      RUNS,
    );
  });
});
