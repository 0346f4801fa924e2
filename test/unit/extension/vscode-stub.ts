import Module from 'node:module';

/**
 * A stand-in for the `vscode` module, for unit tests of extension code that uses little of it:
 * file URIs, the workspace's relative paths, commands (kept in `executedCommands`), settings
 * changes (`changeConfiguration`) and where a value is set (`inspected`), notifications (kept in `shownMessages`, answered by
 * `user.answer`), and progress notifications (never cancelled).
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
  static parse(text: string): Uri {
    return new Uri(text.replace(/^file:\/\//, ''));
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

/** The messages the code under test showed the user, in order. */
export const shownMessages: string[] = [];

/** The user's answer to a notification (by default, none: dismissed); a test sets it to pick an action, or to wait. */
export const user = { answer: (_message: string): Promise<string | undefined> => Promise.resolve(undefined) };

const show = (message: string): Promise<string | undefined> => {
  shownMessages.push(message);
  return user.answer(message);
};

/** The commands the code under test ran, with their arguments, in order. */
export const executedCommands: unknown[][] = [];

type ConfigurationChange = { affectsConfiguration(section: string, scope?: Uri): boolean };
const configurationListeners = new Set<(e: ConfigurationChange) => void>();

/** Fires onDidChangeConfiguration: `affects` answers its affectsConfiguration. */
export function changeConfiguration(affects: (section: string, scope?: Uri) => boolean): void {
  for (const listener of configurationListeners) listener({ affectsConfiguration: affects });
}

/** What `getConfiguration(section, scope).inspect(key)` answers, by `section.key` (a test sets it); none: no value anywhere. */
export const inspected = new Map<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }>();

class CancellationTokenSource {
  readonly token = { isCancellationRequested: false };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {}
}

const vscode = {
  Uri,
  CancellationTokenSource,
  FileSystemError: class FileSystemError extends Error {},
  commands: { executeCommand: async (...command: unknown[]) => void executedCommands.push(command) },
  workspace: {
    isTrusted: true,
    workspaceFolders: [] as unknown[],
    getConfiguration: (section: string) => ({ inspect: (key: string) => inspected.get(`${section}.${key}`) }),
    asRelativePath: (uri: Uri | string) => (typeof uri === 'string' ? uri : uri.fsPath),
    onDidChangeConfiguration: (listener: (e: ConfigurationChange) => void) => {
      configurationListeners.add(listener);
      return { dispose: () => configurationListeners.delete(listener) };
    },
  },
  ProgressLocation: { Notification: 15 },
  window: {
    showErrorMessage: show,
    showWarningMessage: show,
    showInformationMessage: show,
    // A progress notification that is never cancelled and shows nothing.
    withProgress: <T>(_options: unknown, task: (progress: { report(value: unknown): void }, token: { onCancellationRequested(): { dispose(): void } }) => T): T => task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) }),
  },
};

/** The workspace the code under test sees; a test may give it folders. */
export const stubWorkspace = vscode.workspace;

const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
const load = loader._load;
loader._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

/** A file URI as the code under test gets it from VS Code. */
export function fileUri(path: string): import('vscode').Uri {
  return Uri.file(path) as unknown as import('vscode').Uri;
}
