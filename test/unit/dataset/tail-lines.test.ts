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
});
