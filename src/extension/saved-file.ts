import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { editorDecodesOtherwise, SNIFFED_BYTES } from './editor-decoding';

/** How a file's prompts are read: from disk, or as its document, and then why (for the advice when VS Code refuses it). */
export type FileRead = { disk: true; jsonl: boolean } | { disk: false; why: string; advice: string };

const OR_CLI = 'or run it with `toa run`';

/**
 * From disk, as `toa run` reads it, when the editor would show the same rows: a file on this
 * machine's disk (`file:`), without unsaved edits, of a kind its open document or its name tells,
 * that the editor decodes as the disk reader does (UTF-8, lines split at `\n`). Not opened as a
 * document then: VS Code hands extensions no document over 50 MB, and a document is a copy of the
 * file in the extension host and in the window. Otherwise the document, as the editor shows it.
 */
export async function howToRead(uri: vscode.Uri, documentIsJsonl: (document: vscode.TextDocument) => boolean): Promise<FileRead> {
  if (uri.scheme === 'untitled') return { disk: false, why: 'it was never saved', advice: `save it as a .jsonl or .txt file to run it from disk, ${OR_CLI}` };
  if (uri.scheme !== 'file') return { disk: false, why: `it is not on this machine's disk (${uri.scheme}:)`, advice: `copy it into the workspace folder, ${OR_CLI}` };
  if (hasUnsavedEdits(uri)) return { disk: false, why: 'it has unsaved edits', advice: `save it to run the saved file (read from disk), ${OR_CLI}` };
  const decoding = await decodingDiffers(uri);
  if (decoding) return { disk: false, why: decoding, advice: `save it as UTF-8 with \\n or \\r\\n line ends to run it from disk, ${OR_CLI}` };
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document) return { disk: true, jsonl: documentIsJsonl(document) };
  // The names VS Code gives the JSON Lines and plain text languages; any other is opened to learn its language.
  if (/\.(jsonl|ndjson)$/i.test(uri.path)) return { disk: true, jsonl: true };
  if (/\.txt$/i.test(uri.path)) return { disk: true, jsonl: false };
  return { disk: false, why: 'its name does not say whether it is JSON Lines or text', advice: `name it .jsonl or .txt to run it from disk, ${OR_CLI}` };
}

/**
 * Edits not saved, in an open document or in an editor tab: a document over 50 MB is in no
 * extension's `textDocuments`, but its tab says it is dirty.
 */
function hasUnsavedEdits(uri: vscode.Uri): boolean {
  const key = uri.toString();
  if (vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === key)) return true;
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.isDirty && tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key));
}

/**
 * Why the editor would decode the file otherwise than the disk reader: its settings (an encoding
 * other than UTF-8, or guessing one, which reads a Latin-1 or Shift-JIS file as such), or its
 * first bytes (see editorDecodesOtherwise).
 */
async function decodingDiffers(uri: vscode.Uri): Promise<string | undefined> {
  const files = vscode.workspace.getConfiguration('files', uri);
  const encoding = files.get<string>('encoding', 'utf8');
  if (encoding !== 'utf8' && encoding !== 'utf8bom') return `its encoding is ${encoding} (files.encoding)`;
  if (files.get<boolean>('autoGuessEncoding', false)) return 'the editor guesses its encoding (files.autoGuessEncoding)';
  return editorDecodesOtherwise(await firstBytes(uri.fsPath, SNIFFED_BYTES));
}

/** Up to `n` bytes from the start of a file; none when it cannot be read (the reader then says why). */
async function firstBytes(path: string, n: number): Promise<Uint8Array> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return new Uint8Array();
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
