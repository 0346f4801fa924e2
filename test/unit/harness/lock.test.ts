import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withDirLock } from '../../harness/lock';

test('a lock held by a live process is waited for, and the wait is said once with its owner', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'toa-lock-'));
  const lock = join(dir, '.install-lock');
  await mkdir(lock);
  // This very process is alive, so the lock is not stale: withDirLock must wait for it.
  await writeFile(join(lock, 'pid'), String(process.pid));
  const waits: string[] = [];
  let ran = false;
  // The owner lets go after the first announced wait plus a second poll.
  const onWait = (owner: string | undefined): void => {
    waits.push(String(owner));
    setTimeout(() => void rm(lock, { recursive: true, force: true }), 1500);
  };
  await withDirLock(lock, async () => void (ran = true), onWait, 10_000);
  assert.equal(ran, true);
  assert.deepEqual(waits, [String(process.pid)]);
  await rm(dir, { recursive: true, force: true });
});
