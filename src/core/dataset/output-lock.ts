import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
  /** The run that holds the lock: after a crash, the run whose rows recovery looks for. */
  runId: string;
}

export interface OutputLock {
  /** Removes the lock: a run that ended (finished, cancelled or stopped by an error) cleanly. */
  release(): void;
  /** The run that held the lock before and died without releasing it, if this lock took it over. */
  crashedRunId: string | undefined;
}

/**
 * One run per set of outputs. Two runs appending to the same files would each search and write
 * every prompt the other has not finished yet, doubling rows. The lock is a file beside the
 * trace output, created exclusively, holding the owner's pid, host and run id; the CLI and the
 * extension (for outputs on disk) both take it.
 *
 * Only a clean end releases it. A run that died (SIGKILL, a second Ctrl-C, power loss, a closed
 * window) leaves it behind: the next run takes it over when that pid is gone on this host, and
 * learns which run may have left rows half written (`crashedRunId`, see recover.ts). A lock
 * from another host cannot be checked, so the message says how to remove it.
 */
export function lockOutputs(trace: string, runId: string): OutputLock {
  const path = `${trace}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), runId };
  let crashedRunId: string | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(owner), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const text = readText(path);
      const holder = parseOwner(text);
      if (attempt === 0 && holder && holder.host === owner.host && !running(holder.pid)) {
        // Taken over only if nobody took it over first (two runs starting after the same crash).
        if (readText(path) === text) unlinkSync(path);
        crashedRunId = holder.runId;
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.started}` : 'an unreadable lock';
      throw new Error(`${trace} is being written by another run (${who}). Wait for it to finish, use other outputs, or delete ${path} if no such run is active.`, { cause: error });
    }
  }
  let released = false;
  return {
    crashedRunId,
    release: () => {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, started: String(value.started), runId: String(value.runId ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's pid is a live process other than this one. This process cannot hold a lock
 * it has not taken yet: its own pid in a lock means a run that died before this one reused the
 * pid (a container restarted with the same hostname, where every run is pid 1).
 */
function running(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
