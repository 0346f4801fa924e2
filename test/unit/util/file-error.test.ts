import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileErrorText, isMissingFile } from '../../../src/core/util/file-error';

/** An error as Node's fs or VS Code's workspace.fs throws it: a message and a code. */
function failure(code: string, message = `${code}: something, open 'x.json'`): Error {
  return Object.assign(new Error(message), { code });
}

test("a file that cannot be read is said in words, not in a system call's", () => {
  assert.equal(fileErrorText(failure('ENOENT')), 'no such file');
  assert.equal(fileErrorText(failure('EISDIR')), 'is a folder');
  assert.equal(fileErrorText(failure('EACCES')), 'permission denied');
  assert.equal(fileErrorText(failure('EPERM')), 'permission denied');
  assert.equal(fileErrorText(failure('ENOTDIR')), 'no such file (a part of its path is a file, not a folder)');
});

test('an output that cannot be written is said in words, with what is in its way', () => {
  assert.equal(fileErrorText(failure('ENOTDIR'), 'write'), 'a part of its path is a file, not a folder');
  assert.equal(fileErrorText(failure('ENOSPC'), 'write'), 'no space left on the disk');
  assert.equal(fileErrorText(failure('EROFS'), 'write'), 'the file system is read-only');
  assert.equal(fileErrorText(failure('EIO', 'EIO: i/o error, write'), 'write'), 'cannot write: EIO: i/o error, write');
});

test("VS Code's file system errors are said in the same words", () => {
  assert.equal(fileErrorText(failure('FileNotFound')), 'no such file');
  assert.equal(fileErrorText(failure('FileIsADirectory')), 'is a folder');
  assert.equal(fileErrorText(failure('NoPermissions')), 'permission denied');
  assert.equal(isMissingFile(failure('FileNotFound')), true);
});

test('an error without a known code keeps its own message', () => {
  assert.equal(fileErrorText(failure('EIO', 'EIO: i/o error, read')), 'cannot read: EIO: i/o error, read');
  assert.equal(fileErrorText(failure('toString', 'odd')), 'cannot read: odd', 'a code is looked up as a code, not as a property');
  assert.equal(fileErrorText(new Error('no code')), 'cannot read: no code');
  assert.equal(isMissingFile(new Error('no code')), false);
});

test("the errors of Node's own reads", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'toa-file-error-'));
  const file = join(dir, 'file.json');
  await writeFile(file, '{}');
  const reasons = await Promise.all([join(dir, 'none.json'), dir, join(file, 'below.json')].map((path) => readFile(path, 'utf8').then(() => 'read', fileErrorText)));
  assert.deepEqual(reasons, ['no such file', 'is a folder', 'no such file (a part of its path is a file, not a folder)']);
});
