import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { lockOutputs, type RepairReport } from '../../../src/core';
import { WorkspaceLineSink } from '../../../src/extension/workspace-sink';

/** A minimal in-memory file system: a workspace file system that is not on disk. */
class MemoryFs implements vscode.FileSystemProvider {
  readonly files = new Map<string, Uint8Array>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const data = this.files.get(uri.path);
    if (data) return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: data.length };
    if ([...this.files.keys()].some((p) => p.startsWith(`${uri.path}/`)) || uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {}
  readFile(uri: vscode.Uri): Uint8Array {
    const data = this.files.get(uri.path);
    if (!data) throw vscode.FileSystemError.FileNotFound(uri);
    return data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.files.set(uri.path, content);
  }
  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }
  rename(from: vscode.Uri, to: vscode.Uri): void {
    this.files.set(to.path, this.readFile(from));
    this.files.delete(from.path);
  }
}

const rows = (batch: number, n: number): string[] => Array.from({ length: n }, (_, i) => JSON.stringify({ batch, i }));

suite('workspace output sink', () => {
  let dir: string;
  setup(async () => {
    dir = await mkdtemp(join(tmpdir(), 'toa-sink-'));
  });
  teardown(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('on disk: concurrent appends land as whole lines, in whole batches', async () => {
    const sink = new WorkspaceLineSink(vscode.Uri.file(join(dir, 'out', 'sft.jsonl')), (r) => assert.fail(`unexpected repair ${r.path}`));
    await Promise.all(Array.from({ length: 20 }, (_, b) => sink.append(rows(b, 3))));
    const lines = (await readFile(join(dir, 'out', 'sft.jsonl'), 'utf8')).split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    const parsed = lines.map((l) => JSON.parse(l) as { batch: number; i: number });
    assert.equal(parsed.length, 60);
    for (let k = 0; k < parsed.length; k += 3) assert.deepEqual(parsed.slice(k, k + 3).map((r) => r.i), [0, 1, 2]);
  });

  test("on disk: the lock holder's repair keeps a row saved without its newline and removes a crash-cut half row; an append alone mends nothing", async () => {
    const lock = lockOutputs(join(dir, 'traces.jsonl'), 'test-run');
    try {
      const edited = join(dir, 'edited.jsonl');
      await writeFile(edited, '{"a":1}\n{"b":2}');
      const sink = new WorkspaceLineSink(vscode.Uri.file(edited), (r) => assert.fail(`unexpected repair ${r.path}`));
      await sink.repair(lock);
      await sink.append(['{"c":3}']);
      assert.equal(await readFile(edited, 'utf8'), '{"a":1}\n{"b":2}\n{"c":3}\n');

      const cut = join(dir, 'cut.jsonl');
      await writeFile(cut, '{"a":1}\n{"b":');
      const reports: RepairReport[] = [];
      const repaired = new WorkspaceLineSink(vscode.Uri.file(cut), (r) => reports.push(r));
      await Promise.all([repaired.repair(lock), repaired.append(['{"c":3}'])]);
      assert.equal(await readFile(cut, 'utf8'), '{"a":1}\n{"c":3}\n');
      assert.deepEqual(reports.map((r) => [r.droppedBytes, r.dropped]), [[5, '{"b":']]);
    } finally {
      lock.release();
    }
    // Without the lock, the tail may be another process's row being written: it is left alone.
    const busy = join(dir, 'busy.jsonl');
    await writeFile(busy, '{"a":1}\n{"b":');
    await new WorkspaceLineSink(vscode.Uri.file(busy), (r) => assert.fail(`unexpected repair ${r.path}`)).append(['{"c":3}']);
    assert.equal(await readFile(busy, 'utf8'), '{"a":1}\n{"b":{"c":3}\n');
  });

  test('on a virtual file system: appends go through workspace.fs, whole lines after whatever was there', async () => {
    const memory = new MemoryFs();
    const registration = vscode.workspace.registerFileSystemProvider('toa-test-mem', memory);
    try {
      memory.files.set('/data/pairs.jsonl', new TextEncoder().encode('{"old":true}'));
      const sink = new WorkspaceLineSink(vscode.Uri.parse('toa-test-mem:/data/pairs.jsonl'), (r) => assert.fail(`unexpected repair ${r.path}`));
      await Promise.all([sink.append(rows(0, 2)), sink.append(rows(1, 2))]);
      const text = new TextDecoder().decode(memory.files.get('/data/pairs.jsonl'));
      assert.equal(text, ['{"old":true}', ...rows(0, 2), ...rows(1, 2), ''].join('\n'));
      assert.deepEqual([...memory.files.keys()], ['/data/pairs.jsonl'], 'no temporary file is left behind');
    } finally {
      registration.dispose();
    }
  });

  test('a row with a line break is refused before anything is written', async () => {
    const path = join(dir, 'strict.jsonl');
    const sink = new WorkspaceLineSink(vscode.Uri.file(path), () => undefined);
    await assert.rejects(sink.append(['{"a":\n1}']), /must be one line/);
    await assert.rejects(readFile(path), /ENOENT/);
  });
});
