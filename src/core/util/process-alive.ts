import { readFileSync } from 'node:fs';

/** How a process's state is read: Linux's `/proc/<pid>/stat`; tests stand in for it. */
export interface ProcessProbe {
  platform: NodeJS.Platform;
  /** Throws as readFileSync does (ENOENT: the process is gone). */
  readStat(pid: number): string;
}

const SYSTEM: ProcessProbe = { platform: process.platform, readStat: (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8') };

/**
 * Whether the process `pid` is alive: kill(pid, 0) finds it (EPERM too: it exists, owned by
 * someone else), and on Linux it is no zombie. A process killed (SIGKILL) whose parent does not
 * reap it, as in a container whose PID 1 is a program that waits for no child, stays a zombie
 * (state Z) until that parent ends, and kill(pid, 0) still finds it; it runs no code, so it holds
 * nothing. Elsewhere kill(pid, 0) alone decides.
 */
export function processAlive(pid: number, probe: ProcessProbe = SYSTEM): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (probe.platform !== 'linux') return true;
  let stat: string;
  try {
    stat = probe.readStat(pid);
  } catch (error) {
    // Gone since kill(pid, 0) found it; any other failure (/proc mounted with hidepid) leaves
    // kill's answer standing.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  const state = statState(stat);
  // Z: a zombie; X: dead, being reaped.
  return state !== 'Z' && state !== 'X';
}

/**
 * The state letter of a `/proc/<pid>/stat` line: `1234 (comm) S 1 ...`, the field after the
 * command name in parentheses. The name may hold spaces and `)` itself (`(a) Z (b)`), so the
 * state is read after the last `)`. Undefined when the line has no such field.
 */
export function statState(stat: string): string | undefined {
  const end = stat.lastIndexOf(')');
  if (end < 0) return undefined;
  return /^\s+(\S)/.exec(stat.slice(end + 1))?.[1];
}
