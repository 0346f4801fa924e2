import * as vscode from 'vscode';

/** Whether anything exists at `uri`, on disk or in a virtual file system. */
export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
