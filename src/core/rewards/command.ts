import { spawn, type ChildProcess } from 'node:child_process';
import { promptText } from '../chat';
import type { RewardConfig } from '../config/schema';
import { excerpt } from '../util/excerpt';
import { decimalNumber } from './read-score';
import { RewardError, type RewardFacts, type RewardModel } from './types';

export type CommandRewardConfig = Extract<RewardConfig, { type: 'command' }>;

const PROVIDER = 'command';
/** Spawn errors that say the program could not be started at all, which no later call will change. */
const CANNOT_START = new Set(['ENOENT', 'EACCES', 'ENOTDIR']);
/** Output kept per stream: a score is one number; the rest is only for error messages. */
const MAX_OUTPUT = 64 * 1024;
/**
 * POSIX: the command leads a process group of its own, so a kill reaches what it started too (a
 * wrapper script's `sleep`, `uv run`'s python), which killing the command alone would leave
 * running as orphans. On Windows a detached process gets a console of its own, so there only the
 * command itself is killed, as before.
 */
const OWN_GROUP = process.platform !== 'win32';
/**
 * Commands still running. A group of its own no longer dies with this process (a terminal's
 * Ctrl+C, or the session's end, reaches only the foreground group), so if this process exits
 * first (a crash, `process.exit`), they are killed on the way out.
 */
const running = new Set<ChildProcess>();
let exitHooked = false;

/**
 * An external program as the reward model: it gets `{prompt, messages, response, reference}`
 * as JSON on stdin and prints one number on stdout. Run without a shell, so arguments need no
 * quoting. A non-zero exit, a timeout or anything but a number on stdout is an error that
 * quotes the program's output.
 */
export function commandReward(config: CommandRewardConfig, cwd?: string): RewardModel {
  const [program, ...args] = config.command as [string, ...string[]];
  return {
    name: `command:${program}`,
    async score(input, signal) {
      const stdin = JSON.stringify({ prompt: promptText(input), messages: input.messages, response: input.response, reference: input.reference ?? null });
      const { stdout } = await run(program, args, { stdin, cwd, timeoutMs: config.timeoutMs }, signal);
      const text = stdout.trim();
      const score = decimalNumber(text);
      if (!Number.isFinite(score)) throw fail(`${program} printed no finite decimal number on stdout: ${excerpt(stdout)}`, { unread: true });
      return { reward: score, attempts: 1 };
    },
  };
}

/** A failure of the command, said as the reward's, with what the run decides by (see RewardFacts). */
function fail(message: string, facts: RewardFacts = {}): RewardError {
  return new RewardError(`reward ${PROVIDER}: ${message}`, PROVIDER, facts);
}

function run(program: string, args: string[], { stdin, cwd, timeoutMs }: { stdin: string; cwd?: string; timeoutMs: number }, signal: AbortSignal): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: OWN_GROUP, ...(cwd ? { cwd } : {}) });
    track(child);
    const out = { stdout: '', stderr: '' };
    let settled = false;
    const finish = (error: unknown, value?: { stdout: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(value!);
      else reject(error);
    };
    const onAbort = (): void => {
      kill(child);
      finish(signal.reason);
    };
    const timer = setTimeout(() => {
      kill(child);
      finish(fail(`${program} timed out after ${timeoutMs} ms${said(out)}`));
    }, timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => (out.stdout = (out.stdout + chunk.toString('utf8')).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (chunk: Buffer) => (out.stderr = (out.stderr + chunk.toString('utf8')).slice(0, MAX_OUTPUT)));
    // Only a program that is not there (or not executable) will fail every call the same way;
    // EAGAIN or EMFILE from starting many at once may pass.
    child.on('error', (error: NodeJS.ErrnoException) => finish(fail(`cannot run ${program}: ${error.message}`, CANNOT_START.has(error.code ?? '') ? { unreachable: 'no-program' } : {})));
    child.on('close', (code, killedBy) => {
      // The command has exited; what it started and left behind (its output redirected, so the
      // pipes closed) would outlive the call.
      killGroup(child);
      running.delete(child);
      if (code === 0) return finish(undefined, { stdout: out.stdout });
      finish(fail(`${program} ${code === null ? `was killed by ${killedBy}` : `exited with code ${code}`}${said(out)}`));
    });
    // A program that exits without reading its input makes the write fail (EPIPE); its exit
    // status then tells the real story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

/** Keeps `child` in `running` until it closes (or never starts); the exit hook goes in with the first. */
function track(child: ChildProcess): void {
  if (!OWN_GROUP) return;
  if (!exitHooked) process.on('exit', killRunning);
  exitHooked = true;
  running.add(child);
  child.once('error', () => child.pid === undefined && running.delete(child));
}

function killRunning(): void {
  for (const child of running) kill(child);
}

/** The command and, on POSIX, every process of its group. */
function kill(child: ChildProcess): void {
  killGroup(child);
  // The command itself too, should it have left its group.
  child.kill('SIGKILL');
}

function killGroup(child: ChildProcess): void {
  if (!OWN_GROUP || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: every process of the group has exited already.
  }
}

function said(out: { stdout: string; stderr: string }): string {
  const text = out.stderr.trim() || out.stdout.trim();
  return text ? `; it said: ${excerpt(text, 300)}` : '';
}
