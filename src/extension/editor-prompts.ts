import * as vscode from 'vscode';
import { errorText, readRowsInSlices, ValidationError, type InputConfig, type LineSource, type Problem, type PromptRow, type SliceOptions } from '../core';
import { LineProblems } from './problems';
import { rowsFromDocument, rowsFromSelection } from './prompt-text';
import { howToRead, type FileRead } from './saved-file';

/** Lines of a document to run, as CodeLens passes them (0-based, inclusive). */
export interface LineRange {
  uri: vscode.Uri;
  startLine: number;
  endLine: number;
}

export interface EditorPrompts {
  /**
   * Reads the rows: a run does it as its setup's first step, where the panel shows it and a
   * cancel ends it (a document of a million rows takes seconds). Bad rows throw a
   * ValidationError naming the file, line and field.
   */
  rows(slices: SliceOptions): Promise<PromptRow[]>;
  /** The file the rows come from. */
  uri: vscode.Uri;
  /** e.g. `prompts.jsonl lines 2-4`. */
  source: string;
  /** The lines read, for a selection (the whole document without). */
  lines?: vscode.Range[];
}

export function isLineRange(value: unknown): value is LineRange {
  const v = value as Partial<LineRange> | undefined;
  return v?.uri instanceof vscode.Uri && Number.isInteger(v.startLine) && Number.isInteger(v.endLine);
}

/** JSONL by language id or extension (the language may not be registered in every editor). */
function isJsonl(document: vscode.TextDocument): boolean {
  return document.languageId === 'jsonl' || /\.jsonl$/i.test(document.uri.path);
}

/**
 * The prompts of the active editor's selections (or of a line range): selected JSONL lines are
 * rows, other selected text is one prompt. With nothing selected, the cursor's line. Bad rows
 * throw a ValidationError naming the file, line and field.
 */
export async function selectedPrompts(input: InputConfig, range?: LineRange): Promise<EditorPrompts | undefined> {
  const editor = activeEditor();
  const document = range ? await vscode.workspace.openTextDocument(range.uri) : editor?.document;
  if (!document) return undefined;
  // A CodeLens computed before the file shrank can name lines that are gone.
  if (range && (range.startLine < 0 || range.endLine >= document.lineCount || range.startLine > range.endLine)) {
    throw new Error(`${vscode.workspace.asRelativePath(document.uri)} has no lines ${range.startLine + 1}-${range.endLine + 1} now (${document.lineCount} lines): the file changed`);
  }
  const selections = range ? [new vscode.Selection(range.startLine, 0, range.endLine, document.lineAt(range.endLine).text.length)] : [...(editor?.selections ?? [])];
  const file = vscode.workspace.asRelativePath(document.uri);
  const lines = selections.sort((a, b) => a.start.compareTo(b.start)).map((selection) => (selection.isEmpty || isJsonl(document) ? wholeLines(document, selection) : selection));
  const spans = lines.map((whole) => (whole.start.line === lastLine(whole) ? `${whole.start.line + 1}` : `${whole.start.line + 1}-${lastLine(whole) + 1}`));
  // The selected text is taken now: an edit while the run sets up must not change what was selected.
  const texts = lines.map((whole) => ({ text: document.getText(whole), firstLine: whole.start.line + 1 }));
  const rows = async (): Promise<PromptRow[]> => {
    const read: PromptRow[] = [];
    // Every selection is checked, so the Problems view gets the verdict on every line read.
    const problems: Problem[] = [];
    for (const { text, firstLine } of texts) {
      try {
        read.push(...rowsFromSelection(text, { file, firstLine, jsonl: isJsonl(document) }, input));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length) throw new LineProblems(problems, document.uri, lines);
    return dedupe(read);
  };
  return { rows, uri: document.uri, source: `${file} line${spans.length > 1 || spans[0]?.includes('-') ? 's' : ''} ${spans.join(', ')}`, lines };
}

/**
 * Every prompt of a file: JSONL rows, or one prompt per non-blank line of text. A saved file is
 * read from disk when the editor would show the same rows (see howToRead); otherwise as the
 * editor shows it.
 */
export async function documentPrompts(input: InputConfig, uri?: vscode.Uri): Promise<EditorPrompts | undefined> {
  const target = uri ?? activeEditorUri();
  if (!target) return undefined;
  const read = await howToRead(target, isJsonl);
  if (read.disk) {
    const file = vscode.workspace.asRelativePath(target);
    return { rows: (slices) => readRowsInSlices(target.fsPath, read.jsonl ? input : 'plain', { ...slices, displayName: file }), uri: target, source: file };
  }
  const document = await openDocument(target, read);
  return { rows: (slices) => documentRows(document, input, slices), uri: document.uri, source: vscode.workspace.asRelativePath(document.uri) };
}

/** The document of a file to run, or an error that says what to do when VS Code will not hand it over. */
async function openDocument(uri: vscode.Uri, read: Extract<FileRead, { disk: false }>): Promise<vscode.TextDocument> {
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    if (!/Files above \d+\s*MB cannot be synchronized with extensions/i.test(errorText(error))) throw error;
    const file = vscode.workspace.asRelativePath(uri);
    throw new Error(`${file} is over 50 MB, which VS Code does not hand to extensions, and it cannot be read from disk as the editor shows it: ${read.why}. ${capitalized(read.advice)}.`, { cause: error });
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Every row of a document, read line by line in slices (see rowsFromDocument). An edit while it
 * reads would give rows of two versions: the read stops at the pause the edit came in.
 */
export function documentRows(document: vscode.TextDocument, input: InputConfig, slices: SliceOptions): Promise<PromptRow[]> {
  const file = vscode.workspace.asRelativePath(document.uri);
  const version = document.version;
  const lines: LineSource = {
    lineCount: document.lineCount,
    lineAt: (i) => {
      if (document.version !== version) throw new Error(`${file} changed while its prompts were read: run it again`);
      return document.lineAt(i).text;
    },
  };
  return rowsFromDocument(lines, { file, jsonl: isJsonl(document) }, input, slices);
}

/**
 * The active editor's file. `activeTextEditor` is undefined while focus is outside an editor
 * (a quick pick, the panel), so fall back to the active tab.
 */
export function activeEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return vscode.window.activeTextEditor?.document.uri ?? (input instanceof vscode.TabInputText ? input.uri : undefined) ?? visibleFileEditor()?.document.uri ?? lastTextEditor;
}

/**
 * With the panel focused, the file the user works on is still the text editor visible beside
 * it (a JSONL one first), or, when the panel covers it, the last text editor they were in.
 */
function visibleFileEditor(): vscode.TextEditor | undefined {
  const files = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme !== 'output');
  return files.find((e) => isJsonl(e.document)) ?? files[0];
}

let lastTextEditor: vscode.Uri | undefined;

/** Keeps `activeEditorUri`'s last resort: the last file-backed text editor that had the focus. */
export function trackTextEditors(): vscode.Disposable {
  const remember = (editor: vscode.TextEditor | undefined): void => {
    if (editor && editor.document.uri.scheme !== 'output') lastTextEditor = editor.document.uri;
  };
  remember(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(remember),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.toString() === lastTextEditor?.toString()) lastTextEditor = undefined;
    }),
  );
}

function activeEditor(): vscode.TextEditor | undefined {
  const uri = activeEditorUri()?.toString();
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
}

/** A JSONL selection covers whole rows even when it starts or ends inside one. */
function wholeLines(document: vscode.TextDocument, selection: vscode.Selection): vscode.Range {
  const endLine = lastLine(selection);
  return new vscode.Range(selection.start.line, 0, endLine, document.lineAt(endLine).text.length);
}

/**
 * The last line a range takes text from: one ending at column 0 of a later line (as a click and
 * shift+click in the gutter select whole lines) does not include that line.
 */
function lastLine(range: vscode.Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}

/** Overlapping selections must not search a row twice. */
function dedupe(rows: PromptRow[]): PromptRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.id) && (seen.add(row.id), true));
}
