import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { conversationKey, normalizeRow, type InputConfig, type PromptRow } from '../core';
import { COMMANDS } from './commands';
import type { ConfigSource } from './config-source';
import { TraceIndex, type TraceFiles } from './trace-index';

/** Lenses on the first rows only: VS Code asks for a whole document's lenses at once. */
const MAX_ROWS_WITH_LENSES = 5_000;
const REFRESH_DELAY_MS = 300;

/**
 * "Synthesize" above each prompt row of a JSON Lines file, and "Show tree" once the trace
 * output holds a search of that row. Rows that are not valid prompts get no lens (synthesizing
 * them reports the problem with its line instead).
 */
export class PromptCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly watchers: vscode.Disposable[] = [];
  private readonly traces = new TraceIndex(workspaceFiles);
  private pending: ReturnType<typeof setTimeout> | undefined;
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly configs: ConfigSource) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.jsonl');
    const soon = (): void => this.refreshSoon();
    const settingsChanged = vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('toaStudio') && this.refresh());
    // The lenses follow the config file (its input fields, its trace output) without waiting for the next refresh.
    this.watchers.push(watcher, watcher.onDidChange(soon), watcher.onDidCreate(soon), settingsChanged, configs.onDidChangeFile(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  /** A run appends to its outputs after every prompt: their changes refresh the lenses once per burst. */
  private refreshSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.refresh();
    }, REFRESH_DELAY_MS);
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const folder = this.configs.folderFor(document.uri);
    if (!this.configs.settings().codeLens || !folder) return [];
    const { input, outputs } = await this.configs.viewSections(folder);
    // The outputs hold answers, not prompts to run.
    if (Object.values(outputs).some((uri) => uri.toString() === document.uri.toString())) return [];
    const searched = await this.traces.traced(outputs.trace.toString());
    const lenses: vscode.CodeLens[] = [];
    const rows = Math.min(document.lineCount, MAX_ROWS_WITH_LENSES);
    for (let line = 0; line < rows && !token.isCancellationRequested; line++) {
      const row = rowOf(document.lineAt(line).text, line + 1, input);
      if (row === undefined) continue;
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, { title: '$(play) Synthesize', command: COMMANDS.synthesizeSelection, arguments: [{ uri: document.uri, startLine: line, endLine: line }] }));
      // By id and text, as resume matches: `line-3` of another file, or an edited row, has no tree.
      if (searched.has(row)) lenses.push(new vscode.CodeLens(range, { title: '$(type-hierarchy) Show tree', command: COMMANDS.showTree, arguments: [row.id, document.uri, conversationKey(row.messages)] }));
    }
    const beyond = firstRowFrom(document, rows);
    if (beyond !== undefined) lenses.push(capLens(document.uri, beyond));
    return lenses;
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.changed.dispose();
    this.watchers.forEach((w) => w.dispose());
  }
}

/**
 * Where the lenses stop, so a long file does not seem to lose them for no reason: it says why,
 * and runs what still reaches every row.
 */
function capLens(uri: vscode.Uri, line: number): vscode.CodeLens {
  const cap = MAX_ROWS_WITH_LENSES.toLocaleString('en-US');
  const title = `$(info) No lenses past line ${cap}: Synthesize File runs every row, Synthesize Selection the rows selected`;
  return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command: COMMANDS.synthesizeFile, arguments: [uri], tooltip: `A file this long gets lenses on its first ${cap} lines only. Click to synthesize the whole file (a run resumes: it skips the rows the trace already holds).` });
}

/** The first non-blank line from `line` on, if any. */
function firstRowFrom(document: vscode.TextDocument, line: number): number | undefined {
  for (let i = line; i < document.lineCount; i++) if (!document.lineAt(i).isEmptyOrWhitespace) return i;
  return undefined;
}

/** The row a line of a JSONL file gives when it is run, or undefined for a line that is no prompt. */
function rowOf(text: string, line: number, input: InputConfig): PromptRow | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return normalizeRow(JSON.parse(text), input, line).row;
  } catch {
    return undefined;
  }
}


/** Trace outputs through workspace.fs; files on disk can also be read from an offset. */
const workspaceFiles: TraceFiles = {
  stat: async (key) => {
    const { size, mtime } = await vscode.workspace.fs.stat(vscode.Uri.parse(key));
    return { size, mtime };
  },
  readAll: async (key) => vscode.workspace.fs.readFile(vscode.Uri.parse(key)),
  readFrom: async (key, offset, length) => {
    const uri = vscode.Uri.parse(key);
    if (uri.scheme !== 'file') throw new Error('not on disk');
    const handle = await open(uri.fsPath, 'r');
    try {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      return bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  },
};
