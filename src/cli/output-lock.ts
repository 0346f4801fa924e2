import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/**
 * One `toa run` per set of outputs. Two runs appending to the same files would each search and
 * write every prompt the other has not finished yet, doubling rows. The lock is a file beside the
 * trace output, created exclusively, holding the owner's pid and host. One left by a run that
 * died without cleaning up (SIGKILL, power loss) is taken over when its pid is gone on this host;
 * a lock from another host cannot be checked, so the message says how to remove it.
 * Returns the release function (also run at process exit, which `process.exit` does not skip).
 */
export function lockOutputs(trace: string): () => void {
  const path = `${trace}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(owner), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(path);
      if (attempt === 0 && holder && holder.host === owner.host && !alive(holder.pid)) {
        unlinkSync(path); // stale: its run is gone
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.started}` : 'an unreadable lock';
      throw new Error(`${trace} is being written by another toa run (${who}). Wait for it to finish, use other outputs, or delete ${path} if no such run is active.`, { cause: error });
    }
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on('exit', release);
  return release;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host, started: String(value.started) } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
