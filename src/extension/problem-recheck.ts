import * as vscode from 'vscode';
import { parseConfigText, requireReferences, ValidationError, type Problem } from '../core';
import type { ConfigSource } from './config-source';
import { documentRows } from './editor-prompts';
import type { ProblemReporter } from './problems';

/** Edits come in bursts (typing): the file is checked once they pause. */
const SETTLE_MS = 300;

/**
 * Problems a run reported stay until they are fixed, not until the next run: while a file shows
 * ours, each edit checks it again as a run would read it (a configuration file as a
 * configuration, any other as prompt rows), and the Problems view shows what is still wrong.
 * Files without our problems are not checked on edits: a run does that.
 */
export function recheckOnEdit(problems: ProblemReporter, configs: ConfigSource): vscode.Disposable {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const subscription = vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
    if (contentChanges.length === 0 || !problems.has(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      void recheck(document, problems, configs);
    }, SETTLE_MS));
  });
  return { dispose: () => { subscription.dispose(); pending.forEach(clearTimeout); } };
}

async function recheck(document: vscode.TextDocument, problems: ProblemReporter, configs: ConfigSource): Promise<void> {
  if (document.isClosed) return;
  const version = document.version;
  const found = await problemsOf(document, configs);
  // Edited again meanwhile: that edit's own check has the say, not this older verdict.
  if (found && !document.isClosed && document.version === version) problems.replace(document.uri, found);
}

/** The problems a run would find in the document now; undefined when it cannot tell. */
async function problemsOf(document: vscode.TextDocument, configs: ConfigSource): Promise<Problem[] | undefined> {
  const folder = configs.folderFor(document.uri);
  if (!folder) return undefined;
  const file = vscode.workspace.asRelativePath(document.uri);
  try {
    if (document.uri.toString() === configs.configUri(folder).toString()) parseConfigText(document.getText(), file);
    else await checkRows(document, folder, configs);
    return [];
  } catch (error) {
    return error instanceof ValidationError ? error.problems : undefined;
  }
}

/**
 * As a run reads them: every row valid, and with a reference when the reward checks against one.
 * Read in slices too: a check at every pause in typing must not hold the extension host for
 * seconds in a big file. An edit meanwhile ends the read (its own check follows).
 */
async function checkRows(document: vscode.TextDocument, folder: vscode.WorkspaceFolder, configs: ConfigSource): Promise<void> {
  const { input, requiresReferences } = await configs.viewSections(folder);
  const rows = await documentRows(document, input, {});
  if (requiresReferences) requireReferences(rows, input.referenceField);
}
