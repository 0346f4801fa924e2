import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A cross-process lock on a directory (mkdir is atomic), so two test runs that both find the
 * tools missing do not install them into the same folder at once. A lock whose owner process
 * is gone is taken over; waiting is bounded.
 */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, onWait: (owner: string | undefined) => void = () => undefined, timeoutMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let waiting = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await ownerAlive(lockDir))) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`, { cause: error });
      // Said once: a wait of minutes with nothing on the screen looks like a hang.
      if (!waiting) onWait(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => undefined));
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  await writeFile(join(lockDir, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function ownerAlive(lockDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(await readFile(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // Created but pid not written yet: the owner is about to write it, unless it died in between.
    const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
    return age < 30_000;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
