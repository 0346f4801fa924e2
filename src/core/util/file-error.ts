import { errorText } from './errors';

const PART_IS_FILE = 'a part of its path is a file, not a folder';

/**
 * Why a user's file could not be read or written, in words. Node's own message (`ENOENT: no such
 * file or directory, open 'x.json'`) speaks in system calls and repeats the path that our
 * messages name before it. The extension reads and writes through vscode.workspace.fs, whose
 * errors carry codes of their own (`FileNotFound`): both kinds are read here.
 */
const PLAIN: ReadonlyMap<string, string> = new Map(Object.entries({
  ENOENT: 'no such file',
  FileNotFound: 'no such file',
  EISDIR: 'is a folder',
  FileIsADirectory: 'is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  NoPermissions: 'permission denied',
  ENOTDIR: PART_IS_FILE,
  FileNotADirectory: PART_IS_FILE,
  ENAMETOOLONG: 'the path is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  // Ours (see checkCreatable): Node says ENOENT, as if nothing were there.
  EDANGLING: 'a link in its path points to something missing (an unmounted drive or share?)',
}));

/**
 * `no such file`, `is a folder`, `permission denied`; other errors as `cannot read: <their
 * message>` (`cannot write: ...` for an output).
 */
export function fileErrorText(error: unknown, doing: 'read' | 'write' = 'read'): string {
  const code = codeOf(error);
  const plain = code === undefined ? undefined : PLAIN.get(code);
  // A file to read is then missing; an output could not be made there.
  if (plain === PART_IS_FILE && doing === 'read') return `no such file (${plain})`;
  return plain ?? `cannot ${doing}: ${errorText(error)}`;
}

/** Whether the error says the file does not exist (Node's code or VS Code's). */
export function isMissingFile(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'ENOENT' || code === 'FileNotFound';
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
