import * as vscode from 'vscode';
import type { ConfigSource } from './config-source';
import { activeEditorUri } from './editor-prompts';
import { fileExists } from './file-exists';
import { showInformation } from './notify';
import { askForFolder } from './open-folder';

const SAMPLE_FILE = 'toa-sample-prompts.jsonl';

/**
 * "Open Sample Prompts" (the walkthrough's first step): copies the extension's demo prompts
 * (examples/demo/prompts.jsonl, shipped in the VSIX) into the workspace folder, so a first run
 * has something to search and a folder to write its outputs to; opens the copy with its first
 * lines selected. An existing copy is opened as it is. Resolves with the file.
 */
export async function openSamplePrompts(extensionUri: vscode.Uri, configs: ConfigSource): Promise<vscode.Uri | undefined> {
  const folder = configs.folderFor(activeEditorUri());
  if (!folder) {
    await askForFolder('runs write their outputs into it');
    return undefined;
  }
  const file = vscode.Uri.joinPath(folder.uri, SAMPLE_FILE);
  const created = !(await fileExists(file));
  if (created) await vscode.workspace.fs.writeFile(file, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', 'demo', 'prompts.jsonl')));
  const editor = await vscode.window.showTextDocument(file);
  // Two whole lines: what "select a few lines, then Synthesize Selection" means, done once.
  const end = Math.min(2, editor.document.lineCount);
  editor.selection = new vscode.Selection(0, 0, end, 0);
  if (created) void showInformation(`TOA Studio: wrote ${SAMPLE_FILE}, with its first two prompts selected: run Synthesize Selection from the editor's context menu (without a toa.config.json, the built-in simulated endpoints answer).`);
  return file;
}
