import * as vscode from 'vscode';
import { InvalidSettingMemory, type InvalidValue } from './invalid-setting-memory';
import { showWarning } from './notify';
import { invalidSettingText, SETTINGS_SECTION, type SettingKey } from './settings';

const OPEN_SETTING = 'Open Setting';

/**
 * Tells the user of setting values readSettings refused, which would otherwise fall back to their
 * defaults unseen (VS Code's schema check only underlines them in settings.json): a warning with
 * the setting one click away, and a line in the log. Once per value (see InvalidSettingMemory).
 */
export class InvalidSettingNotices implements vscode.Disposable {
  private readonly memory = new InvalidSettingMemory();
  private readonly changes = vscode.workspace.onDidChangeConfiguration((e) =>
    this.memory.forget((key, folder) => e.affectsConfiguration(`${SETTINGS_SECTION}.${key}`, folder === undefined ? undefined : vscode.Uri.parse(folder))),
  );

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The invalid values one read of `folder`'s settings (undefined: the window's) found. */
  report(folder: vscode.WorkspaceFolder | undefined, invalid: readonly InvalidValue[]): void {
    if (!invalid.length) return;
    // The folder is named only where there are others it could be confused with.
    const name = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder?.name : undefined;
    for (const { key, raw, folder: where } of this.memory.untold(folder?.uri.toString(), invalid)) {
      const message = invalidSettingText(key, raw, where === undefined ? undefined : name);
      this.log.warn(message);
      void showWarning(`TOA Studio: ${message}`, OPEN_SETTING).then((choice) => {
        if (choice === OPEN_SETTING) openSetting(key, folder);
      });
    }
  }

  dispose(): void {
    this.changes.dispose();
  }
}

/**
 * The Settings editor at `key`, on the tab that holds the value in effect (the one refused): the
 * folder's in a multi-root workspace (VS Code asks which folder), the workspace's, else the user's.
 * The editor would otherwise open on the User tab, where a workspace's value is not to be found.
 */
function openSetting(key: SettingKey, folder: vscode.WorkspaceFolder | undefined): void {
  const held = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri).inspect(key);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const command =
    multiRoot && held?.workspaceFolderValue !== undefined
      ? 'workbench.action.openFolderSettings'
      : held?.workspaceValue !== undefined || held?.workspaceFolderValue !== undefined
        ? 'workbench.action.openWorkspaceSettings'
        : 'workbench.action.openSettings';
  void vscode.commands.executeCommand(command, { query: `${SETTINGS_SECTION}.${key}` });
}
