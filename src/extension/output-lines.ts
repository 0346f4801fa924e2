import * as vscode from 'vscode';
import { fileLines } from '../core';

/**
 * The lines of a JSONL output in the workspace; none while it does not exist. On disk they
 * stream, one line in memory at a time (outputs grow with every run); other workspace file
 * systems are read whole. Read errors name the file.
 */
export async function* outputLines(uri: vscode.Uri): AsyncGenerator<string> {
  if (uri.scheme !== 'file') {
    yield* (await readVirtual(uri)).split('\n');
    return;
  }
  let read = false;
  try {
    for await (const line of fileLines(uri.fsPath)) {
      read = true;
      yield line;
    }
  } catch (error) {
    if (!read && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`${uri.fsPath}: ${(error as Error).message}`, { cause: error });
  }
}

async function readVirtual(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return '';
    throw error;
  }
}
