import { accessSync, constants, lstatSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/**
 * Checks, as a run starts, that `path` could be created with its first row: the nearest folder
 * above it that exists may be written, and nothing in the way is a file. The folders below are
 * made with the first row, so a run that writes none leaves none. Throws the file system's error
 * (EACCES, ENOTDIR), for OutputFileError to say in words.
 */
export function checkCreatable(path: string): void {
  for (let at = dirname(resolve(path)); ; at = dirname(at)) {
    let folder: boolean;
    try {
      folder = statSync(at).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error;
      // There, but leading nowhere (an unmounted share's link): nothing could be made below it.
      if (isLink(at)) throw Object.assign(new Error(`ENOENT: ${at} is a link to something missing`), { code: 'EDANGLING' });
      continue;
    }
    if (!folder) throw Object.assign(new Error(`ENOTDIR: not a directory, stat '${at}'`), { code: 'ENOTDIR' });
    accessSync(at, constants.W_OK);
    return;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Removes `dir` and the folders above it up to `top` (which a run made: see lockOutputs) while
 * they are empty, innermost first. An empty folder holds nothing another run wrote; one about to
 * write there makes it again (the writers make their folders again when it went missing).
 */
export function removeEmptyFolders(dir: string, top: string): void {
  const last = resolve(top);
  for (let at = resolve(dir); at === last || at.startsWith(last + sep); at = dirname(at)) {
    try {
      rmdirSync(at);
    } catch {
      // Not empty (or gone): it and the folders above it stay.
      return;
    }
  }
}
