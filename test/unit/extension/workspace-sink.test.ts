import { fileUri } from './vscode-stub';
import assert from 'node:assert/strict';
import { open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { RepairReport } from '../../../src/core';
import { WorkspaceLineSink } from '../../../src/extension/workspace-sink';
import { heldLock } from '../dataset/held-lock';
import { tempDir } from '../dataset/temp-dir';

const inDir = tempDir('toa-sink-');

/** Opens files whose next write, once `fault.armed`, writes half its bytes and fails as a full disk does, and whose truncate then fails too: the part written stays. */
function failingOnce(fault: { armed: boolean }) {
  return async (file: string, flags: number | string): Promise<FileHandle> => {
    const handle = await open(file, flags);
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write' && fault.armed) {
          return async (data: Buffer, offset: number, length: number) => {
            await target.write(data, offset, Math.floor(length / 2));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        if (key === 'truncate' && fault.armed) {
          return async () => {
            fault.armed = false;
            throw new Error('EIO: i/o error, ftruncate');
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
}

describe('WorkspaceLineSink', () => {
  const held = heldLock(inDir);

  it('refuses rows after a write left part of a row, though each batch opens a new appender, until the lock holder mends the file', async () => {
    const path = inDir('sft.jsonl');
    await writeFile(path, '{"n":0}\n');
    const fault = { armed: false };
    const repairs: RepairReport[] = [];
    const sink = new WorkspaceLineSink(fileUri(path), (report) => repairs.push(report), 'output.sft', failingOnce(fault));

    fault.armed = true;
    const refused = `${path} (output.sft): cannot write: a row was written in part and could not be taken back (EIO: i/o error, ftruncate): no more rows are appended to it until a run mends its end`;
    await assert.rejects(sink.append([JSON.stringify({ n: 1, text: 'x'.repeat(100) })]), { message: refused });
    const halfRow = await readFile(path, 'utf8');
    assert.ok(halfRow.startsWith('{"n":0}\n{"n":1') && !halfRow.endsWith('\n'), 'the part written stays');

    // The file opens fine now: only the sink remembers that its end is half a row.
    await assert.rejects(sink.append(['{"n":2}']), { message: refused });
    assert.equal(await readFile(path, 'utf8'), halfRow, 'no row glued onto the half row');

    await sink.repair(held());
    assert.equal(repairs.length, 1, 'the mend is reported');
    await sink.append(['{"n":2}']);
    assert.equal(await readFile(path, 'utf8'), '{"n":0}\n{"n":2}\n');
  });
});
