import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { shellWord } from '../../../src/cli/shell-word';

const PATHS = ['toa.config.json', 'experiments/a/toa.config.json', 'my configs/toa.config.json', "it's here/toa.json", 'price $5/a.json', 'say "hi"/a.json', 'back\\slash/a.json', 'bang!/a.json', 'tick`/a.json'];

test('a plain path stays bare; one with a space is double-quoted, as every shell reads it', () => {
  assert.equal(shellWord('experiments/a/toa.config.json'), 'experiments/a/toa.config.json');
  assert.equal(shellWord('my configs/toa.config.json'), '"my configs/toa.config.json"');
  assert.equal(shellWord("it's here/toa.json"), `"it's here/toa.json"`);
});

test('sh reads every quoted path back as the one word it was', () => {
  for (const path of PATHS) {
    const echoed = execFileSync('sh', ['-c', `printf %s ${shellWord(path)}`], { encoding: 'utf8' });
    assert.equal(echoed, path, shellWord(path));
  }
});
