import * as vscode from 'vscode';
import { normalizeRow, type InputConfig } from '../core';
import { COMMANDS } from './commands';
import type { ConfigSource } from './config-source';
import { traceIds } from './trace-ids';

/** Lenses on the first rows only: VS Code asks for a whole document's lenses at once. */
const MAX_ROWS_WITH_LENSES = 5_000;

/**
 * "Synthesize" above each prompt row of a JSON Lines file, and "Show tree" once the trace
 * output holds a search of that row. Rows that are not valid prompts get no lens (synthesizing
 * them reports the problem with its line instead).
 */
export class PromptCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly watchers: vscode.Disposable[] = [];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly configs: ConfigSource) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.jsonl');
    this.watchers.push(watcher, watcher.onDidChange(() => this.refresh()), watcher.onDidCreate(() => this.refresh()), vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('toaStudio') && this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const folder = this.configs.folderFor(document.uri);
    if (!this.configs.settings().codeLens || !folder) return [];
    const { input, outputs } = await this.configs.sections(folder);
    // The outputs hold answers, not prompts to run.
    if (Object.values(outputs).some((uri) => uri.toString() === document.uri.toString())) return [];
    const searched = await readTraceIds(outputs.trace);
    const lenses: vscode.CodeLens[] = [];
    const rows = Math.min(document.lineCount, MAX_ROWS_WITH_LENSES);
    for (let line = 0; line < rows && !token.isCancellationRequested; line++) {
      const id = rowIdOf(document.lineAt(line).text, line + 1, input);
      if (id === undefined) continue;
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, { title: '$(play) Synthesize', command: COMMANDS.synthesizeSelection, arguments: [{ uri: document.uri, startLine: line, endLine: line }] }));
      if (searched.has(id)) lenses.push(new vscode.CodeLens(range, { title: '$(type-hierarchy) Show tree', command: COMMANDS.showTree, arguments: [id, document.uri] }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
    this.watchers.forEach((w) => w.dispose());
  }
}

/** The id a row of a JSONL file gets when it is run, or undefined for a line that is no prompt. */
function rowIdOf(text: string, line: number, input: InputConfig): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return normalizeRow(JSON.parse(text), input, line).row?.id;
  } catch {
    return undefined;
  }
}

async function readTraceIds(uri: vscode.Uri): Promise<Set<string>> {
  try {
    return traceIds(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    return new Set();
  }
}
