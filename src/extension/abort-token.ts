import * as vscode from 'vscode';

/**
 * A CancellationToken cancelled when `signal` aborts, for the prompts a run's setup shows (an
 * API key's input box): VS Code closes them on it, so a cancel does not wait for the user to
 * dismiss them. Dispose it when the run ends.
 */
export function abortToken(signal: AbortSignal): vscode.Disposable & { token: vscode.CancellationToken } {
  const source = new vscode.CancellationTokenSource();
  const cancel = (): void => source.cancel();
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return {
    token: source.token,
    dispose: () => {
      signal.removeEventListener('abort', cancel);
      source.dispose();
    },
  };
}
