import Module from 'node:module';

/**
 * A stand-in for the `vscode` module, for unit tests of extension code that uses little of it:
 * file URIs, the workspace's relative paths, and notifications (kept in `shownMessages`).
 * Imported before the code under test, it answers that code's `require('vscode')`.
 */
class Uri {
  readonly scheme = 'file';
  private constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  static file(path: string): Uri {
    return new Uri(path);
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

/** The messages the code under test showed the user, in order. */
export const shownMessages: string[] = [];

const show = async (message: string): Promise<undefined> => {
  shownMessages.push(message);
  return undefined;
};

const vscode = {
  Uri,
  FileSystemError: class FileSystemError extends Error {},
  workspace: { isTrusted: true, workspaceFolders: [], asRelativePath: (uri: Uri | string) => (typeof uri === 'string' ? uri : uri.fsPath) },
  window: { showErrorMessage: show, showWarningMessage: show, showInformationMessage: show },
};

const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
const load = loader._load;
loader._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

/** A file URI as the code under test gets it from VS Code. */
export function fileUri(path: string): import('vscode').Uri {
  return Uri.file(path) as unknown as import('vscode').Uri;
}
