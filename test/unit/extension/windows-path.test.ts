import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWindowsAbsolute } from '../../../src/extension/windows-path';

test('Windows absolute paths are recognised; relative and POSIX paths are not', () => {
  for (const path of ['C:\\data\\sft.jsonl', 'c:/data/sft.jsonl', '\\\\server\\share\\sft.jsonl']) assert.equal(isWindowsAbsolute(path), true, path);
  for (const path of ['data/sft.jsonl', '/home/me/sft.jsonl', 'C:sft.jsonl', '..\\sft.jsonl']) assert.equal(isWindowsAbsolute(path), false, path);
});
