import * as vscode from 'vscode';
import type { ConfigSource } from './config-source';
import { endpointChoiceMessage } from './endpoint-choice';
import type { LastRunFolder } from './last-run-folder';
import { showInformation } from './notify';
import type { PanelController } from './panel/panel-controller';
import type { ProblemReporter } from './problems';
import { SETTINGS_SECTION } from './settings';

interface SettingsWriterDeps {
  configs: ConfigSource;
  problems: ProblemReporter;
  /** The panel, without opening or revealing it: it shows the auto-accept threshold. */
  panel(): PanelController;
  lastRun: LastRunFolder;
}

/** The settings the panel and the commands change (auto-accept, simulated endpoints), and the panel's view of them. */
export class SettingsWriter {
  constructor(private readonly deps: SettingsWriterDeps) {}

  /** The panel's Off is "off", not null: null would fall back to the config file's threshold. */
  async setAutoAccept(threshold: number | null): Promise<void> {
    try {
      await this.setSetting('autoAcceptAbove', threshold ?? 'off');
    } catch (error) {
      void this.showAutoAccept();
      this.deps.problems.report(error, 'cannot change auto-accept');
    }
  }

  /** The threshold the next run will use: the setting over the config file's, as runs resolve it. */
  async showAutoAccept(): Promise<void> {
    const { configs } = this.deps;
    const folder = this.deps.lastRun.orFirst();
    const output = folder ? (await configs.sections(folder)).output : undefined;
    const setting = configs.settings(folder).autoAcceptAbove;
    this.deps.panel().configure({ autoAcceptAbove: output ? (output.autoAcceptAbove ?? null) : typeof setting === 'number' ? setting : null });
  }

  async setUseSimulator(value: boolean, uri?: vscode.Uri): Promise<void> {
    const { configs } = this.deps;
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? this.deps.lastRun.orFirst();
    await this.setSetting('useSimulator', value, folder);
    const file = folder && configs.configUri(folder);
    // A file that does not parse still exists: the run will report its problems.
    const exists = folder ? await configs.fileConfig(folder).then((c) => c !== undefined, () => true) : false;
    const path = file ? vscode.workspace.asRelativePath(file) : configs.settings().configPath;
    void showInformation(endpointChoiceMessage(value, { path, exists }));
  }

  /**
   * Writes a setting where it takes effect for a folder (by default the last run's): that
   * folder's own settings when they set it (in a multi-root workspace they win over the
   * workspace's), else the workspace's, else the user's.
   */
  private async setSetting(key: string, value: unknown, folder = this.deps.lastRun.orFirst()): Promise<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri);
    const inFolder = folder && (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && config.inspect(key)?.workspaceFolderValue !== undefined;
    const target = inFolder ? vscode.ConfigurationTarget.WorkspaceFolder : folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }
}
