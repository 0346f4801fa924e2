import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

/**
 * A temporary folder for the tests of the enclosing describe (or file): made before they run,
 * removed after. Returns a path builder, since the folder exists only once `before` ran.
 */
export function tempDir(prefix: string): (...parts: string[]) => string {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return (...parts) => join(dir, ...parts);
}
