import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A per-run folder that XDG_* and TMPDIR point into, so nothing lands in $HOME or /tmp. */
export interface RunDir {
  root: string;
  /** XDG_* and TMPDIR for child processes (code-server, Chromium). */
  env: Record<string, string>;
  remove(): Promise<void>;
}

export async function makeRunDir(prefix: string): Promise<RunDir> {
  const root = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const env = {
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    XDG_CACHE_HOME: join(root, 'xdg-cache'),
    TMPDIR: join(root, 'tmp'),
  };
  await Promise.all(Object.values(env).map((dir) => mkdir(dir, { recursive: true })));
  return { root, env, remove: () => rm(root, { recursive: true, force: true, maxRetries: 3 }) };
}
