import * as vscode from 'vscode';
import type { ConfigSource } from './config-source';

const STATE_KEY = 'toaStudio.lastRunFolder';

/**
 * The folder of the last run, kept in workspace state: the panel's prompts are its, so curation
 * after a window reload writes to its outputs (in a multi-root workspace, not necessarily the
 * first folder's).
 */
export class LastRunFolder {
  private folder: vscode.WorkspaceFolder | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly configs: ConfigSource,
  ) {
    const stored = state.get<string>(STATE_KEY);
    this.folder = stored === undefined ? undefined : vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(stored));
  }

  /** The last run's folder, else the workspace's first: where what is not about one file goes. */
  orFirst(): vscode.WorkspaceFolder | undefined {
    return this.folder ?? this.configs.folderFor();
  }

  /** Kept in workspace state too: a window reloaded later finds it there. */
  remember(folder: vscode.WorkspaceFolder): void {
    this.folder = folder;
    void this.state.update(STATE_KEY, folder.uri.toString());
  }
}
