import * as vscode from 'vscode';
import { formatProblem, ValidationError, type Problem } from '../core';
import { isWindowsAbsolute } from './windows-path';

/**
 * Bad input, reported the way VS Code users expect: each problem as a diagnostic on its file and
 * line (the Problems view), the first one in an error message, all of them in the log.
 */
export class ProblemReporter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('toaStudio');

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Clears what an earlier run reported for these files. */
  clear(uris: readonly vscode.Uri[]): void {
    uris.forEach((uri) => this.diagnostics.delete(uri));
  }

  report(error: unknown, context: string): void {
    if (!(error instanceof ValidationError)) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${context}: ${message}`);
      void vscode.window.showErrorMessage(`TOA Studio: ${context}: ${message}`);
      return;
    }
    error.problems.forEach((p) => this.log.error(`${context}: ${formatProblem(p)}`));
    this.publish(error.problems);
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more in the Problems view)` : '';
    void vscode.window.showErrorMessage(`TOA Studio: ${context}: ${formatProblem(error.problems[0]!)}${more}`, 'Show Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  }

  private publish(problems: readonly Problem[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      if (!p.file) continue;
      const line = Math.max(0, (p.line ?? 1) - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${p.path ? `${p.path}: ` : ''}${p.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'TOA Studio';
      byFile.set(p.file, [...(byFile.get(p.file) ?? []), diagnostic]);
    }
    for (const [file, list] of byFile) {
      const uri = resolveFile(file);
      if (uri) this.diagnostics.set(uri, list);
    }
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

/** Problems name files workspace-relative (as messages should); diagnostics need the URI. */
function resolveFile(file: string): vscode.Uri | undefined {
  if (file.startsWith('/') || isWindowsAbsolute(file)) return vscode.Uri.file(file);
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const prefix = `${folder.name}/`;
    // asRelativePath prefixes the folder name in multi-root workspaces.
    if (folders.length > 1 && file.startsWith(prefix)) return vscode.Uri.joinPath(folder.uri, file.slice(prefix.length));
  }
  return folders[0] && vscode.Uri.joinPath(folders[0].uri, file);
}
