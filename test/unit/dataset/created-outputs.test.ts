import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { outputsFound } from '../../../src/core/dataset/created-outputs';
import { tempDir } from './temp-dir';

const inDir = tempDir('toa-created-outputs-');

/** Three output paths in a folder of their own. */
async function outputs(name: string): Promise<{ sft: string; preference: string; trace: string }> {
  await mkdir(inDir(name), { recursive: true });
  return { sft: inDir(name, 'sft.jsonl'), preference: inDir(name, 'preference.jsonl'), trace: inDir(name, 'traces.jsonl') };
}

/** What opening the outputs does: creates the missing ones, empty. */
async function open(paths: { sft: string; preference: string; trace: string }): Promise<void> {
  for (const path of Object.values(paths)) if (!existsSync(path)) await writeFile(path, '');
}

const present = (paths: { sft: string; preference: string; trace: string }): boolean[] => Object.values(paths).map((path) => existsSync(path));

describe('the outputs a run created', () => {
  it('are removed again when the run wrote no row', async () => {
    const paths = await outputs('none-written');
    const found = outputsFound(paths);
    await open(paths);
    assert.deepEqual(found.removeIfUnwritten(), [paths.sft, paths.preference, paths.trace]);
    assert.deepEqual(present(paths), [false, false, false]);
  });

  it('are kept when the run wrote a row, to any of the outputs', async () => {
    const paths = await outputs('one-row');
    const found = outputsFound(paths);
    await open(paths);
    await writeFile(paths.trace, '{"promptId":"p1"}\n');
    assert.deepEqual(found.removeIfUnwritten(), []);
    assert.deepEqual(present(paths), [true, true, true], 'the empty SFT file and pairs stay beside the trace row');
  });

  it('never include a file that was there before, empty or not', async () => {
    const paths = await outputs('there-before');
    await writeFile(paths.sft, '');
    await writeFile(paths.trace, '{"promptId":"p0"}\n');
    const found = outputsFound(paths);
    await open(paths);
    assert.deepEqual(found.removeIfUnwritten(), [paths.preference]);
    assert.deepEqual(present(paths), [true, false, true]);
  });

  it('are kept when a file that was there before changed (a crashed run\'s rows restored, a row accepted by hand)', async () => {
    const paths = await outputs('changed');
    await writeFile(paths.trace, '{"promptId":"p0"}\n');
    const found = outputsFound(paths);
    await open(paths);
    await writeFile(paths.trace, '{"promptId":"p0"}\n{"promptId":"p1"}\n');
    assert.deepEqual(found.removeIfUnwritten(), []);
    assert.deepEqual(present(paths), [true, true, true]);
  });

  it('leave alone an output the run never got to open', async () => {
    const paths = await outputs('not-opened');
    const found = outputsFound(paths);
    await writeFile(paths.trace, '');
    assert.deepEqual(found.removeIfUnwritten(), [paths.trace]);
    assert.deepEqual(present(paths), [false, false, false]);
  });
});
