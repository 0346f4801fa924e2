import * as vscode from 'vscode';
import type { PanelSnapshot } from '../shared/protocol';
import { PromptCodeLensProvider } from './code-lens';
import { ConfigSource } from './config-source';
import { CurationService } from './curation-service';
import { curationDeps } from './curation-deps';
import { EditorRun } from './editor-run';
import { trackTextEditors } from './editor-prompts';
import { InvalidSettingNotices } from './invalid-setting-notices';
import { LastRunFolder } from './last-run-folder';
import { PanelController, registerPanelSerializer } from './panel/panel-controller';
import { routePanelRequests } from './panel-requests';
import { ProblemReporter } from './problems';
import { recheckOnEdit } from './problem-recheck';
import { registerCommands } from './register-commands';
import { RejectedSearches } from './rejected-searches';
import { RunController } from './run-controller';
import { KeyStore } from './secrets';
import { SETTINGS_SECTION } from './settings';
import { SettingsWriter } from './settings-writer';
import { BuiltinSimulator } from './simulator';
import { RunStatusBar } from './status-bar';
import { lastRunOf, type StatusText } from './status-text';

/** What activate() returns: read-only views for tests and other extensions. */
export interface ToaStudioApi {
  snapshot(): PanelSnapshot;
  /** What the status bar item says. */
  statusBar(): StatusText;
}

export function activate(context: vscode.ExtensionContext): ToaStudioApi {
  const log = vscode.window.createOutputChannel('TOA Studio', { log: true });
  // First to hear of a setting's change: a listener reading the settings then must not be told
  // again of the value the change replaced (see InvalidSettingMemory.forget).
  const invalidSettings = new InvalidSettingNotices(log);
  const simulator = new BuiltinSimulator();
  const configs = new ConfigSource(simulator, invalidSettings);
  const keys = new KeyStore(context.secrets, context.globalState);
  const problems = new ProblemReporter(log);
  const panel = (): PanelController => PanelController.get(context);
  // The panel restores the last run's snapshot; the status bar sums up the same run.
  const status = new RunStatusBar(lastRunOf(panel().snapshot));
  const showPanel = (): PanelController => PanelController.createOrShow(context, { preserveFocus: true });
  const lastRun = new LastRunFolder(context.workspaceState, configs);
  const rejected = new RejectedSearches(context.workspaceState);
  const curation = new CurationService(curationDeps({ log, panel, configs, lastRun, rejected }));
  const runs = new RunController({ configs, keys, panel, showPanel, curation, status, log });
  const lenses = new PromptCodeLensProvider(configs);
  const editorRun = new EditorRun({ configs, problems, runs, lenses, lastRun, log });
  const settings = new SettingsWriter({ configs, problems, panel, lastRun });
  context.subscriptions.push(log, invalidSettings, simulator, configs, problems, recheckOnEdit(problems, configs), status, runs, lenses, registerPanelSerializer(context), trackTextEditors());
  context.subscriptions.push(vscode.languages.registerCodeLensProvider([{ language: 'jsonl' }, { pattern: '**/*.jsonl' }], lenses));
  registerCommands(context, { configs, keys, problems, runs, editorRun, curation, rejected, settings, log, panel, showPanel });
  context.subscriptions.push(
    routePanelRequests(panel(), { runs, settings, curation }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.autoAcceptAbove`)) void settings.showAutoAccept();
    }),
  );
  log.info('TOA Studio activated');
  return { snapshot: () => structuredClone(panel().snapshot), statusBar: () => status.status };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
