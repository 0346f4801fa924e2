import * as vscode from 'vscode';
import { showWarning } from './notify';

const OPEN_FOLDER = 'Open Folder...';

/**
 * A command that needs a workspace folder, run without one: says what the folder is for and
 * offers to open one, the step the user has to take next.
 */
export async function askForFolder(why: string): Promise<void> {
  const choice = await showWarning(`TOA Studio: open a folder first: ${why}.`, OPEN_FOLDER);
  if (choice === OPEN_FOLDER) await vscode.commands.executeCommand('workbench.action.files.openFolder');
}
