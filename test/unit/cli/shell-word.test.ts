import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { shellWord } from '../../../src/cli/shell-word';

const PATHS = ['toa.config.json', 'experiments/a/toa.config.json', 'my configs/toa.config.json', "it's here/toa.json", 'price $5/a.json', 'say "hi"/a.json', 'back\\slash/a.json', 'bang!/a.json', 'tick`/a.json'];

test('a plain path stays bare; one with a space is double-quoted, as every shell reads it', () => {
  assert.equal(shellWord('experiments/a/toa.config.json', 'linux'), 'experiments/a/toa.config.json');
  assert.equal(shellWord('my configs/toa.config.json', 'linux'), '"my configs/toa.config.json"');
  assert.equal(shellWord("it's here/toa.json", 'linux'), `"it's here/toa.json"`);
  assert.equal(shellWord('a,b.json', 'linux'), '"a,b.json"', 'PowerShell reads a bare comma as an array');
});

test('on Windows a path with a backslash is double-quoted, which cmd.exe and PowerShell take as it is', () => {
  assert.equal(shellWord('configs\\toa.config.json', 'win32'), '"configs\\toa.config.json"');
  assert.equal(shellWord('C:\\My Configs\\toa.json', 'win32'), '"C:\\My Configs\\toa.json"');
  assert.equal(shellWord('configs/toa.config.json', 'win32'), 'configs/toa.config.json');
});

test('sh reads every quoted path back as the one word it was', () => {
  for (const path of PATHS) {
    const echoed = execFileSync('sh', ['-c', `printf %s ${shellWord(path, 'linux')}`], { encoding: 'utf8' });
    assert.equal(echoed, path, shellWord(path, 'linux'));
  }
});
