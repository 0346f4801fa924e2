import * as vscode from 'vscode';
import { fileLines, type TraceRow } from '../core';
import { OutputFileError } from '../core/dataset/output-file-error';
import { lastTraceRow, type TraceHead } from './trace-ids';

/**
 * The lines of a JSONL output in the workspace; none while it does not exist. On disk they
 * stream, one line in memory at a time (outputs grow with every run); other workspace file
 * systems are read whole. Read errors name the file and `field`, what named its path (the
 * config's `output.trace` or the setting, see outputFields). `signal`: a cancel ends the read at
 * its next chunk (a whole file at once elsewhere), rejecting with the signal's reason as it is.
 */
export async function* outputLines(uri: vscode.Uri, field: string, signal?: AbortSignal): AsyncGenerator<string> {
  if (uri.scheme !== 'file') {
    const text = await outputText(uri).catch((error: unknown) => {
      throw new OutputFileError(uri.toString(), field, error, 'read');
    });
    signal?.throwIfAborted();
    yield* text.split('\n');
    return;
  }
  let read = false;
  try {
    for await (const line of fileLines(uri.fsPath, { signal })) {
      read = true;
      yield line;
    }
  } catch (error) {
    if (!read && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if (signal?.aborted) throw signal.reason;
    throw new OutputFileError(uri.fsPath, field, error, 'read');
  }
}

/** The newest trace row in a trace output that `matches` (see lastTraceRow); none without the file. */
export async function readLastTraceRow(trace: vscode.Uri, field: string, matches: (head: TraceHead) => boolean, runId?: string): Promise<TraceRow | undefined> {
  return lastTraceRow(outputLines(trace, field), matches, runId);
}

/** A whole output as text; empty while it does not exist. */
async function outputText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return '';
    throw error;
  }
}
