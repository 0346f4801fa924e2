import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { linkedOutputProblem } from '../../../src/extension/linked-outputs';

const root = mkdtempSync(join(tmpdir(), 'toa-linked-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A workspace folder beside a folder outside it holding a `.bashrc` a cloned repository would aim at. */
function workspace(name: string): { folder: string; outside: string } {
  const folder = join(root, name, 'repo');
  const outside = join(root, name, 'home');
  mkdirSync(folder, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, '.bashrc'), 'export PATH=/usr/bin');
  return { folder, outside };
}

const outputsIn = (folder: string): string[] => ['sft', 'preference', 'traces'].map((name) => join(folder, 'data', `${name}.jsonl`));

test('an output that is a link in the workspace is refused, naming it', async () => {
  const { folder, outside } = workspace('file-link');
  mkdirSync(join(folder, 'data'));
  symlinkSync(join(outside, '.bashrc'), join(folder, 'data', 'traces.jsonl'));
  const problem = await linkedOutputProblem([folder], outputsIn(folder));
  assert.match(problem ?? '', /^the output data\/traces\.jsonl is a symbolic link, and this workspace is in Restricted Mode/);
});

test('an output under a linked folder is refused, naming the folder', async () => {
  const { folder, outside } = workspace('dir-link');
  symlinkSync(outside, join(folder, 'data'));
  assert.match((await linkedOutputProblem([folder], outputsIn(folder))) ?? '', /^the output data\/sft\.jsonl goes through the symbolic link data,/);
});

test('a dangling link is refused too: writing would create its target', async () => {
  const { folder, outside } = workspace('dangling');
  mkdirSync(join(folder, 'data'));
  symlinkSync(join(outside, '.profile'), join(folder, 'data', 'sft.jsonl'));
  assert.match((await linkedOutputProblem([folder], outputsIn(folder))) ?? '', /data\/sft\.jsonl is a symbolic link/);
});

test('plain outputs, missing ones, a folder opened through a link and paths outside every folder pass', async () => {
  const { folder, outside } = workspace('plain');
  assert.equal(await linkedOutputProblem([folder], outputsIn(folder)), undefined, 'nothing exists yet');
  mkdirSync(join(folder, 'data'));
  writeFileSync(join(folder, 'data', 'sft.jsonl'), '');
  assert.equal(await linkedOutputProblem([folder], outputsIn(folder)), undefined, 'plain files');
  const opened = join(root, 'plain', 'opened-through-link');
  symlinkSync(folder, opened);
  assert.equal(await linkedOutputProblem([opened], outputsIn(opened)), undefined, 'the folder itself is the user\'s choice');
  // A user setting may put an output anywhere; only links inside the workspace are the repository's.
  symlinkSync(outside, join(root, 'plain', 'elsewhere'));
  assert.equal(await linkedOutputProblem([folder], [join(root, 'plain', 'elsewhere', 'sft.jsonl')]), undefined);
});
