import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { outputCollisions } from '../../../src/core/dataset/output-collisions';
import { tempDir } from './temp-dir';

describe('outputCollisions', () => {
  const named = (sft: string, preference: string, trace: string, field = (kind: string): string => `output.${kind}`) => ({
    sft: { path: sft, field: field('sft') },
    preference: { path: preference, field: field('preference') },
    trace: { path: trace, field: field('trace') },
  });

  it('finds none for three files of their own, however the paths are spelled', () => {
    assert.deepEqual(outputCollisions(named('data/sft.jsonl', 'data/pairs.jsonl', 'data/traces.jsonl'), { path: 'prompts.jsonl', field: 'the input file' }), []);
  });

  it('names an output that is an earlier one, however its path is spelled, by the fields that named both', () => {
    const setting = (kind: string): string => (kind === 'trace' ? 'setting toaStudio.output.trace' : `output.${kind}`);
    assert.deepEqual(outputCollisions(named('data/out.jsonl', 'data/pairs.jsonl', './data/../data/out.jsonl', setting)), [
      { kind: 'trace', field: 'setting toaStudio.output.trace', message: 'is output.sft (./data/../data/out.jsonl); each output needs a file of its own' },
    ]);
  });

  it('names every output that is the input file, or another output', () => {
    assert.deepEqual(outputCollisions(named('prompts.jsonl', 'x.jsonl', 'x.jsonl'), { path: 'prompts.jsonl', field: 'the input file' }).map((c) => [c.kind, c.message]), [
      ['sft', 'is the input file (prompts.jsonl); each output needs a file of its own'],
      ['trace', 'is output.preference (x.jsonl); each output needs a file of its own'],
    ]);
  });

  const inDir = tempDir('toa-collisions-');

  it('sees one file through a link: to the file, or to a folder on the way to a file not made yet', async () => {
    await mkdir(inDir('data'));
    await writeFile(inDir('data', 'prompts.jsonl'), '{"prompt":"hi"}\n');
    await symlink(inDir('data', 'prompts.jsonl'), inDir('linked-prompts.jsonl'));
    await symlink(inDir('data'), inDir('linked-data'));
    const outputs = named(inDir('linked-prompts.jsonl'), inDir('data', 'out', 'pairs.jsonl'), inDir('linked-data', 'out', 'pairs.jsonl'));
    assert.deepEqual(outputCollisions(outputs, { path: inDir('data', 'prompts.jsonl'), field: 'the input file' }).map((c) => [c.kind, c.message]), [
      ['sft', `is the input file (${inDir('linked-prompts.jsonl')}); each output needs a file of its own`],
      ['trace', `is output.preference (${inDir('linked-data', 'out', 'pairs.jsonl')}); each output needs a file of its own`],
    ]);
  });
});
