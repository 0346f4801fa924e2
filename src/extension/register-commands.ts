import * as vscode from 'vscode';
import { clearApiKey, setApiKey } from './api-keys';
import { checkEndpointsCommand } from './check-endpoints';
import { COMMANDS } from './commands';
import { compareMarkdown } from './compare-report';
import { showComparedStrategy } from './compared-strategy';
import type { ConfigSource } from './config-source';
import { createConfig } from './create-config';
import type { CurationService } from './curation-service';
import type { EditorRun } from './editor-run';
import { documentPrompts, isLineRange, selectedPrompts } from './editor-prompts';
import { PanelController } from './panel/panel-controller';
import type { ProblemReporter } from './problems';
import type { RejectedSearches } from './rejected-searches';
import type { RunController, RunResult } from './run-controller';
import { openSamplePrompts } from './sample-prompts';
import type { KeyStore } from './secrets';
import type { SettingsWriter } from './settings-writer';
import { showTree } from './show-tree';
import { setSearchTau } from './tau-command';

interface CommandDeps {
  configs: ConfigSource;
  keys: KeyStore;
  problems: ProblemReporter;
  runs: RunController;
  editorRun: EditorRun;
  curation: CurationService;
  rejected: RejectedSearches;
  settings: SettingsWriter;
  log: vscode.LogOutputChannel;
  /** The panel, without opening or revealing it. */
  panel(): PanelController;
  /** Opens or reveals the panel, the focus left where it is. */
  showPanel(): PanelController;
}

/** The extension's commands (COMMANDS), registered for its life. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { configs, keys, problems, runs, editorRun, curation, rejected, settings, log, panel, showPanel } = deps;
  const register = (id: string, handler: (...args: unknown[]) => unknown): void => void context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  register(COMMANDS.synthesizeSelection, (range) => {
    const lines = isLineRange(range) ? range : undefined;
    return editorRun.run((input) => selectedPrompts(input, lines), false, lines?.uri);
  });
  register(COMMANDS.synthesizeFile, (uri) => {
    const file = uri instanceof vscode.Uri ? uri : undefined;
    return editorRun.run((input) => documentPrompts(input, file), false, file, true);
  });
  register(COMMANDS.compareStrategies, async (range) => {
    const lines = isLineRange(range) ? range : undefined;
    const result = await editorRun.run((input) => selectedPrompts(input, lines), true, lines?.uri);
    if (result?.compare?.length) await showComparison(result, panel());
    return result;
  });
  register(COMMANDS.openPanel, () => void PanelController.createOrShow(context));
  register(COMMANDS.showComparedStrategy, (strategy) => showComparedStrategy(panel, showPanel, strategy));
  register(COMMANDS.cancelRun, () => runs.cancel());
  register(COMMANDS.setApiKey, (url, key) => setApiKey(keys, configs, url, key));
  register(COMMANDS.clearApiKey, (url) => clearApiKey(keys, configs, url));
  register(COMMANDS.showTree, (promptId, uri, conversation) => typeof promptId === 'string' && showTree({ showPanel: () => PanelController.createOrShow(context), configs, curation, rejected, log }, promptId, uri instanceof vscode.Uri ? uri : undefined, typeof conversation === 'number' ? conversation : undefined));
  register(COMMANDS.createConfig, (providers) => createConfig(configs, providers));
  register(COMMANDS.openSamplePrompts, () => openSamplePrompts(context.extensionUri, configs));
  register(COMMANDS.checkEndpoints, (uri) => checkEndpointsCommand({ configs, keys, problems, log }, uri instanceof vscode.Uri ? uri : undefined));
  // A Uri argument (Create Configuration File passes its file) names the folder to switch.
  register(COMMANDS.useSimulatedEndpoints, (uri) => settings.setUseSimulator(true, uri instanceof vscode.Uri ? uri : undefined));
  register(COMMANDS.useConfiguredEndpoints, (uri) => settings.setUseSimulator(false, uri instanceof vscode.Uri ? uri : undefined));
  register(COMMANDS.setSearchTau, async (tau, uri) => {
    try {
      return await setSearchTau(configs, tau, uri);
    } catch (error) {
      problems.report(error, 'cannot set search.tau');
      return undefined;
    }
  });
}

/**
 * Opens the comparison as a markdown document in an editor group other than the panel's, so the
 * panel's Compare tab, where each strategy's run opens, stays in view beside it.
 */
async function showComparison(result: RunResult, panel: PanelController): Promise<void> {
  const { snapshot, viewColumn: panelColumn } = panel;
  const content = compareMarkdown(result.compare ?? [], { budget: snapshot.budget, prompts: result.comparedPrompts!, agents: snapshot.agents, source: result.source, cancelled: result.cancelled });
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  const editor = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: editor?.viewColumn ?? vscode.ViewColumn.Beside });
}
