import * as vscode from 'vscode';
import { modify, type JSONPath } from 'jsonc-parser';

/**
 * Sets one value in the workspace config file the way a user would: as an edit of its
 * document (comments, key order and formatting kept; undoable), then saved. A document with
 * unsaved changes of the user's is edited but not saved, so their changes are not written
 * behind their back. jsonc-parser's `modify` is the edit VS Code's own settings editor makes.
 * Resolves whether the file on disk now holds the value.
 */
export async function setConfigValue(file: vscode.Uri, path: JSONPath, value: unknown): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(file);
  const userEdits = document.isDirty;
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const edits = modify(document.getText(), path, value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } });
  const edit = new vscode.WorkspaceEdit();
  // Offsets are into the text as it was; they do not overlap, so each applies as it stands.
  for (const e of edits) edit.replace(file, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${vscode.workspace.asRelativePath(file)}`);
  if (userEdits) return false;
  if (!(await document.save())) throw new Error(`could not save ${vscode.workspace.asRelativePath(file)}`);
  return true;
}
