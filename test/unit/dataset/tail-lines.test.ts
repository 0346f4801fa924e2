import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from './temp-dir';
import { readTailLines } from '../../../src/core/dataset/tail-lines';

describe('readTailLines', () => {
  const inDir = tempDir('toa-tail-');

  it('keeps the first line of the byte window when the window begins it, and drops one it cuts', async () => {
    const path = inDir('three.jsonl');
    await writeFile(path, 'aa\nbb\ncc\n');
    assert.deepEqual(await readTailLines(path, 10, 6), ['bb', 'cc'], 'the 6 bytes begin at "bb"');
    assert.deepEqual(await readTailLines(path, 10, 5), ['cc'], 'the 5 bytes begin inside "bb"');
    assert.deepEqual(await readTailLines(path, 10, 9), ['aa', 'bb', 'cc'], 'the whole file');
    assert.deepEqual(await readTailLines(path, 1, 6), ['cc']);
  });

  it("drops the file's byte-order mark when the read reaches byte 0, and keeps a U+FEFF that begins a later line", async () => {
    const path = inDir('bom.jsonl');
    await writeFile(path, '\uFEFF{"a":1}\n\uFEFF{"b":2}\n');
    assert.deepEqual(await readTailLines(path, 10, 1000), ['{"a":1}', '\uFEFF{"b":2}'], 'read whole, from its start');
    assert.deepEqual(await readTailLines(path, 1, 1000), ['\uFEFF{"b":2}'], 'the last row only');
    assert.deepEqual(await readTailLines(path, 10, 1000, 11), ['\uFEFF{"b":2}'], 'from the second row on');
  });
});
