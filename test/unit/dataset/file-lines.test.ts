import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from './temp-dir';
import { fileLines } from '../../../src/core/dataset/file-lines';

async function all(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('fileLines', () => {
  const inDir = tempDir('toa-lines-');

  it('splits on \\n and \\r\\n, drops a byte-order mark, keeps blank lines, and needs no final break', async () => {
    const path = inDir('mixed.txt');
    await writeFile(path, '\uFEFFfirst\r\n\nthird é\nlast');
    assert.deepEqual(await all(fileLines(path)), ['first', '', 'third é', 'last']);
  });

  it("drops the file's byte-order mark only: a second U+FEFF is text of line 1, as on any other line", async () => {
    const path = inDir('two-boms.txt');
    await writeFile(path, '\uFEFF\uFEFFfirst\n\uFEFFsecond\n');
    assert.deepEqual(await all(fileLines(path)), ['\uFEFFfirst', '\uFEFFsecond']);
  });

  it('keeps characters whole across read chunks, and long lines whole', async () => {
    const path = inDir('long.txt');
    const long = 'é'.repeat(100_000); // 200 KB: several chunks, a 2-byte character on every boundary
    await writeFile(path, `${long}\nshort\n${long}x\n`);
    assert.deepEqual(await all(fileLines(path)), [long, 'short', `${long}x`]);
  });

  it('refuses bytes that are not UTF-8, naming the line, rather than replacing them', async () => {
    const path = inDir('latin1.txt');
    await writeFile(path, Buffer.concat([Buffer.from('fine\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await assert.rejects(all(fileLines(path)), /^Error: line 2 is not valid UTF-8 text$/);
  });

  it('names the right line when the bad byte follows a character split between read chunks', async () => {
    const path = inDir('split.txt');
    // 'é' (2 bytes) straddles the first 64 KiB boundary; the bad byte is on line 10.
    const head = 'a'.repeat(64 * 1024 - 1);
    const body = Buffer.concat([Buffer.from(`${head}é\n`), Buffer.from('ok\n'.repeat(8)), Buffer.from([0xff]), Buffer.from('\n')]);
    await writeFile(path, body);
    await assert.rejects(all(fileLines(path)), /^Error: line 10 is not valid UTF-8 text$/);
  });

  it('names the line of a character a read chunk began and the next one breaks, not a later bad byte', async () => {
    // Two faults: line 1 ends its first 64 KiB chunk with the lead byte of a 3-byte character, which
    // the next chunk does not finish ('!', or a stray third continuation byte); line 3 has a bad byte too.
    const later = Buffer.concat([Buffer.from('\nok\n'), Buffer.from([0xff]), Buffer.from('\n')]);
    const cases: Array<[number[], number[]]> = [[[0xe2], [0x21]], [[0xe2, 0x82], [0x82, 0x82]], [[0xc3], [0xa9, 0x80]]];
    for (const [end, next] of cases) {
      const path = inDir('double-fault.txt');
      const firstChunk = Buffer.concat([Buffer.from('a'.repeat(64 * 1024 - end.length)), Buffer.from(end)]);
      await writeFile(path, Buffer.concat([firstChunk, Buffer.from(next), later]));
      await assert.rejects(all(fileLines(path)), /^Error: line 1 is not valid UTF-8 text$/, `${Buffer.from(end).toString('hex')} then ${Buffer.from(next).toString('hex')}`);
    }
  });

  it('names the line of the bad byte when an earlier line holds U+FFFD itself', async () => {
    // fast-check's counterexample: a lenient decoding's first U+FFFD was taken for the bad byte.
    const path = inDir('replacement-char.txt');
    await writeFile(path, Buffer.concat([Buffer.from('\uFFFD\n'), Buffer.from([0xff]), Buffer.from('!')]));
    await assert.rejects(all(fileLines(path)), /^Error: line 2 is not valid UTF-8 text$/);
  });

  it('refuses a line longer than the limit, naming it, instead of growing one string without end', async () => {
    const path = inDir('no-breaks.bin');
    await writeFile(path, `ok\n${'x'.repeat(300_000)}`);
    await assert.rejects(all(fileLines(path, { maxLineChars: 100_000 })), /^Error: line 2 is longer than 100,000 characters: is this a JSONL text file\?$/);
  });

  it('a cancel ends the read at the next chunk, with the signal\'s reason', async () => {
    const path = inDir('chunks.txt');
    // 1 KB lines over four 64 KiB chunks: the first chunk holds fewer than 64 of them.
    await writeFile(path, `${'x'.repeat(1023)}\n`.repeat(256));
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const line of fileLines(path, { signal: controller.signal })) {
          seen.push(line);
          controller.abort(reason);
        }
      })(),
      (error) => error === reason,
    );
    assert.ok(seen.length > 0 && seen.length <= 64, `${seen.length} lines read after the cancel: the rest of one chunk at most`);
  });
});
