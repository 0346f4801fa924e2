import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { tempDir } from './temp-dir';
import { lockOutputs } from '../../../src/core/dataset/output-lock';

describe('lockOutputs', () => {
  const inDir = tempDir('toa-lock-');

  const deadPid = async (): Promise<number> => {
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    return child.pid!;
  };

  it('holds the outputs for one run: a second is refused until the first releases', async () => {
    const trace = inDir('a', 'traces.jsonl');
    const lock = lockOutputs(trace, 'run-1');
    assert.equal(lock.crashedRunId, undefined);
    assert.deepEqual(JSON.parse(await readFile(`${trace}.lock`, 'utf8')).runId, 'run-1');
    // Another live process holds it (this test's parent stands in for one).
    await writeFile(`${trace}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), started: 'then', runId: 'other' }));
    assert.throws(() => lockOutputs(trace, 'run-2'), /traces\.jsonl is being written by another run \(pid \d+ on .*, since then\)/);
    lock.release();
    assert.equal(existsSync(`${trace}.lock`), false);
    lockOutputs(trace, 'run-3').release();
  });

  /** A trace path in a folder of its own, whose lock file says `owner` holds it. */
  const leftLock = async (folder: string, owner: { pid: number; host: string; runId: string }): Promise<string> => {
    const trace = inDir(folder, 'traces.jsonl');
    await mkdir(dirname(trace), { recursive: true });
    await writeFile(`${trace}.lock`, JSON.stringify({ ...owner, started: 'then' }));
    return trace;
  };

  it('takes over a lock whose run died, and names that run for recovery', async () => {
    const lock = lockOutputs(await leftLock('b', { pid: await deadPid(), host: hostname(), runId: 'crashed' }), 'next');
    assert.equal(lock.crashedRunId, 'crashed');
    lock.release();
  });

  it("a lock with this process's own pid is a dead run's (a restarted container reuses pid 1)", async () => {
    const lock = lockOutputs(await leftLock('c', { pid: process.pid, host: hostname(), runId: 'before-restart' }), 'after-restart');
    assert.equal(lock.crashedRunId, 'before-restart');
    lock.release();
  });

  it('a lock from another host is never taken over', async () => {
    const trace = await leftLock('d', { pid: await deadPid(), host: 'elsewhere', runId: 'remote' });
    assert.throws(() => lockOutputs(trace, 'local'), /pid \d+ on elsewhere.*delete .*traces\.jsonl\.lock if no such run is active/);
  });
});
