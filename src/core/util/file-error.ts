/**
 * Why a user's file could not be read, in words. Node's own message (`ENOENT: no such file or
 * directory, open 'x.json'`) speaks in system calls and repeats the path that our messages name
 * before it. The extension reads through vscode.workspace.fs, whose errors carry codes of their
 * own (`FileNotFound`): both kinds are read here.
 */
const PLAIN: ReadonlyMap<string, string> = new Map(Object.entries({
  ENOENT: 'no such file',
  FileNotFound: 'no such file',
  EISDIR: 'is a folder',
  FileIsADirectory: 'is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  NoPermissions: 'permission denied',
  ENOTDIR: 'no such file (a part of its path is a file, not a folder)',
  FileNotADirectory: 'no such file (a part of its path is a file, not a folder)',
  ENAMETOOLONG: 'the path is too long',
}));

/** `no such file`, `is a folder`, `permission denied`; other errors as `cannot read: <their message>`. */
export function fileErrorText(error: unknown): string {
  const code = codeOf(error);
  return (code === undefined ? undefined : PLAIN.get(code)) ?? `cannot read: ${error instanceof Error ? error.message : String(error)}`;
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
