import * as vscode from 'vscode';
import { errorText, formatProblem, ValidationError, type Problem } from '../core';
import { isWindowsAbsolute } from './windows-path';
import { problemStart } from './problem-start';
import { showError } from './notify';

/** Some lines of a file a run read (a selection). */
export interface LinesRead {
  uri: vscode.Uri;
  lines: readonly vscode.Range[];
}

/**
 * Problems found reading some lines of a file (a selection): they are the verdict on those lines
 * only, so what an earlier run reported on the file's other lines stays in the Problems view.
 */
export class LineProblems extends ValidationError implements LinesRead {
  constructor(problems: Problem[], readonly uri: vscode.Uri, readonly lines: readonly vscode.Range[]) {
    super(problems);
  }
}

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

  /** Whether the Problems view shows anything of ours for this file. */
  has(uri: vscode.Uri): boolean {
    return (this.diagnostics.get(uri)?.length ?? 0) > 0;
  }

  /** The whole verdict on one file, checked again (see problem-recheck.ts): no message, no log. */
  replace(uri: vscode.Uri, problems: readonly Problem[]): void {
    this.diagnostics.set(uri, problems.map(toDiagnostic));
  }

  /** Clears what an earlier run reported on these lines of a file (all of it without `lines`). */
  clearLines(uri: vscode.Uri, lines?: readonly vscode.Range[]): void {
    if (lines) this.diagnostics.set(uri, this.outside(uri, lines));
    else this.diagnostics.delete(uri);
  }

  /**
   * `read`: the selection the failed run read. Problems found after reading it (a reference a
   * reward needs) are the verdict on those lines only too, as a LineProblems error's are.
   */
  report(error: unknown, context: string, read?: LinesRead): void {
    if (!(error instanceof ValidationError)) {
      const message = errorText(error);
      this.log.error(`${context}: ${message}`);
      void showError(`TOA Studio: ${context}: ${message}`);
      return;
    }
    error.problems.forEach((p) => this.log.error(`${context}: ${formatProblem(p)}`));
    this.publish(error.problems, error instanceof LineProblems ? error : read);
    // Counted as found: a file with thousands of bad rows lists the first ones and sums up the rest.
    const where = error.count > error.problems.length ? ': the Problems view lists the first ones' : ' in the Problems view';
    const more = error.count > 1 ? ` (and ${error.count - 1} more${where})` : '';
    void showError(`TOA Studio: ${context}: ${formatProblem(error.problems[0]!)}${more}`, 'Show Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  }

  private publish(problems: readonly Problem[], read?: LinesRead): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    if (read) this.clearLines(read.uri, read.lines);
    for (const p of problems) if (p.file) byFile.set(p.file, [...(byFile.get(p.file) ?? []), toDiagnostic(p)]);
    for (const [file, list] of byFile) {
      const uri = resolveFile(file);
      const kept = read && uri?.toString() === read.uri.toString() ? this.diagnostics.get(uri) ?? [] : [];
      if (uri) this.diagnostics.set(uri, [...kept, ...list]);
    }
  }

  private outside(uri: vscode.Uri, lines: readonly vscode.Range[]): vscode.Diagnostic[] {
    return (this.diagnostics.get(uri) ?? []).filter((d) => !lines.some((range) => range.contains(d.range.start)));
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

function toDiagnostic(p: Problem): vscode.Diagnostic {
  const { line, character } = problemStart(p);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, character, line, Number.MAX_SAFE_INTEGER), `${p.path ? `${p.path}: ` : ''}${p.message}`, vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'TOA Studio';
  return diagnostic;
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
