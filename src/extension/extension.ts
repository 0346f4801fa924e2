import * as vscode from 'vscode';
import { findPrompt } from '../shared/panel-state';
import type { PanelSnapshot } from '../shared/protocol';
import { clearApiKey, setApiKey } from './api-keys';
import { PromptCodeLensProvider } from './code-lens';
import { COMMANDS } from './commands';
import { compareMarkdown } from './compare-report';
import { ConfigSource, type ConfigSections } from './config-source';
import { createConfig } from './create-config';
import { openSamplePrompts } from './sample-prompts';
import { CurationService } from './curation-service';
import { endpointChoiceMessage } from './endpoint-choice';
import { activeEditorUri, documentPrompts, isLineRange, selectedPrompts, trackTextEditors, type EditorPrompts } from './editor-prompts';
import { PanelController, registerPanelSerializer, type PanelRequest } from './panel/panel-controller';
import { showComparedStrategy } from './compared-strategy';
import { ProblemReporter, type LinesRead } from './problems';
import { recheckOnEdit } from './problem-recheck';
import { RejectedSearches } from './rejected-searches';
import { RunController, type RunResult } from './run-controller';
import { KeyStore } from './secrets';
import { SETTINGS_SECTION } from './settings';
import { BuiltinSimulator } from './simulator';
import { RunStatusBar } from './status-bar';
import { lastRunOf, type StatusText } from './status-text';
import { showTree } from './show-tree';
import { setSearchTau } from './tau-command';
import { SinkRegistry } from './workspace-sink';
import { showInformation, showWarning } from './notify';
import { askForFolder } from './open-folder';
import { heldTree } from '../shared/held-trees';
import type { PromptRow, SliceOptions } from '../core';

/** What activate() returns: read-only views for tests and other extensions. */
export interface ToaStudioApi {
  snapshot(): PanelSnapshot;
  /** What the status bar item says. */
  statusBar(): StatusText;
}

export function activate(context: vscode.ExtensionContext): ToaStudioApi {
  const log = vscode.window.createOutputChannel('TOA Studio', { log: true });
  const simulator = new BuiltinSimulator();
  const configs = new ConfigSource(simulator);
  const keys = new KeyStore(context.secrets, context.globalState);
  const problems = new ProblemReporter(log);
  const panel = (): PanelController => PanelController.get(context);
  // The panel restores the last run's snapshot; the status bar sums up the same run.
  const status = new RunStatusBar(lastRunOf(panel().snapshot));
  const showPanel = (): PanelController => PanelController.createOrShow(context, { preserveFocus: true });
  // The folder of the last run: the panel's prompts are its, so curation after a window reload
  // writes to its outputs (in a multi-root workspace, not necessarily the first folder's).
  const stored = context.workspaceState.get<string>(LAST_FOLDER_KEY);
  let lastFolder = stored === undefined ? undefined : vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(stored));
  const rejected = new RejectedSearches(context.workspaceState);
  const curation = new CurationService({
    sinks: new SinkRegistry((r) => {
      const message = `Repaired ${r.path}: removed a cut-off last line (${r.droppedBytes} bytes), left by an earlier crash.`;
      log.warn(`${message} It began: ${JSON.stringify(r.dropped.slice(0, 120))}`);
      void showWarning(`TOA Studio: ${message}`);
    }),
    treeOf: (id, runId) => {
      const run = panel().snapshotOf(runId);
      return run && heldTree(run.trees, id);
    },
    statusOf: (id, runId) => {
      const run = panel().snapshotOf(runId);
      return run && findPrompt(run, id)?.status;
    },
    shownOf: (id, runId) => {
      const run = panel().snapshotOf(runId);
      return run && findPrompt(run, id)?.shown;
    },
    postStatus: (promptId, runId, s, reason, level) => panel().postDecision({ type: 'prompt-status', promptId, status: s, reason, level, runId }),
    target: async () => {
      const folder = lastFolder ?? configs.folderFor();
      return folder && (await configs.sections(folder, { strict: true }));
    },
    rejected,
  });
  const runs = new RunController({ configs, keys, panel, showPanel, curation, status, log });
  const lenses = new PromptCodeLensProvider(configs);
  context.subscriptions.push(log, simulator, configs, problems, recheckOnEdit(problems, configs), status, runs, lenses, registerPanelSerializer(context), trackTextEditors());
  context.subscriptions.push(vscode.languages.registerCodeLensProvider([{ language: 'jsonl' }, { pattern: '**/*.jsonl' }], lenses));

  /** Rows from the editor, then the run; every failure is reported, none thrown at the user. */
  const runPrompts = async (collect: (input: ConfigSections['input']) => Promise<EditorPrompts | undefined>, compare = false, file?: vscode.Uri, resume = false): Promise<RunResult | undefined> => {
    // The folder of the file the prompts come from (collect reads that file):
    // its config says how to read its rows, and the run uses the same read of it.
    const folder = configs.folderFor(file ?? activeEditorUri());
    if (!folder) {
      log.warn(`${compare ? 'cannot compare strategies' : 'cannot synthesize'}: no folder is open`);
      void askForFolder('runs take their configuration from it and write their outputs into it');
      return undefined;
    }
    let read: LinesRead | undefined;
    try {
      // Throws the config's problems: rows read with the defaults of a config that failed to load
      // would report misleading row errors (a `promptField` the broken file names, say) instead.
      const config = await configs.read(folder);
      problems.clear([configs.configUri(folder)]);
      const prompts = await collect(configs.sectionsOf(config).input);
      if (!prompts) throw new Error('open a file with prompts first');
      // Read as the run's first step (see RunRequest.rows).
      const rows = async (slices: SliceOptions): Promise<PromptRow[]> => {
        const found = await prompts.rows(slices);
        log.info(`prompts from ${prompts.source}: ${found.length}`);
        problems.clearLines(prompts.uri, prompts.lines);
        read = prompts.lines && { uri: prompts.uri, lines: prompts.lines };
        return found;
      };
      // The folder is remembered as the run starts: the panel shows its prompts from then on, also
      // when an error stops it or the window is reloaded mid-run, and curation writes to its outputs.
      const started = (): void => {
        lastFolder = folder;
        void context.workspaceState.update(LAST_FOLDER_KEY, folder.uri.toString());
      };
      const result = await runs.run({ rows, config, source: prompts.source, input: prompts.uri, compare, resume, started });
      lenses.refresh();
      return result;
    } catch (error) {
      problems.report(error, compare ? 'cannot compare strategies' : 'cannot synthesize', read);
      return undefined;
    }
  };

  const register = (id: string, handler: (...args: unknown[]) => unknown): void => void context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  register(COMMANDS.synthesizeSelection, (range) => {
    const lines = isLineRange(range) ? range : undefined;
    return runPrompts((input) => selectedPrompts(input, lines), false, lines?.uri);
  });
  register(COMMANDS.synthesizeFile, (uri) => {
    const file = uri instanceof vscode.Uri ? uri : undefined;
    return runPrompts((input) => documentPrompts(input, file), false, file, true);
  });
  register(COMMANDS.compareStrategies, async (range) => {
    const lines = isLineRange(range) ? range : undefined;
    const result = await runPrompts((input) => selectedPrompts(input, lines), true, lines?.uri);
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
  // A Uri argument (Create Configuration File passes its file) names the folder to switch.
  register(COMMANDS.useSimulatedEndpoints, (uri) => setUseSimulator(true, uri instanceof vscode.Uri ? uri : undefined));
  register(COMMANDS.useConfiguredEndpoints, (uri) => setUseSimulator(false, uri instanceof vscode.Uri ? uri : undefined));
  register(COMMANDS.setSearchTau, async (tau, uri) => {
    try {
      return await setSearchTau(configs, tau, uri);
    } catch (error) {
      problems.report(error, 'cannot set search.tau');
      return undefined;
    }
  });

  context.subscriptions.push(
    panel().onDidReceiveMessage((message: PanelRequest) => {
      if (message.type === 'cancel') runs.cancelShown(message.runId);
      else if (message.type === 'set-auto-accept') void setAutoAccept(message.threshold);
      else void curation.handle(message);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.autoAcceptAbove`)) void showAutoAccept();
    }),
  );

  /** The panel's Off is "off", not null: null would fall back to the config file's threshold. */
  async function setAutoAccept(threshold: number | null): Promise<void> {
    try {
      await setSetting('autoAcceptAbove', threshold ?? 'off');
    } catch (error) {
      void showAutoAccept();
      problems.report(error, 'cannot change auto-accept');
    }
  }

  /** The threshold the next run will use: the setting over the config file's, as runs resolve it. */
  async function showAutoAccept(): Promise<void> {
    const folder = lastFolder ?? configs.folderFor();
    const output = folder ? (await configs.sections(folder)).output : undefined;
    const setting = configs.settings(folder).autoAcceptAbove;
    panel().configure({ autoAcceptAbove: output ? (output.autoAcceptAbove ?? null) : typeof setting === 'number' ? setting : null });
  }

  async function setUseSimulator(value: boolean, uri?: vscode.Uri): Promise<void> {
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? lastFolder ?? configs.folderFor();
    await setSetting('useSimulator', value, folder);
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
  async function setSetting(key: string, value: unknown, folder = lastFolder ?? configs.folderFor()): Promise<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri);
    const inFolder = folder && (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && config.inspect(key)?.workspaceFolderValue !== undefined;
    const target = inFolder ? vscode.ConfigurationTarget.WorkspaceFolder : folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }

  log.info('TOA Studio activated');
  return { snapshot: () => structuredClone(panel().snapshot), statusBar: () => status.status };
}

const LAST_FOLDER_KEY = 'toaStudio.lastRunFolder';

export function deactivate(): void {
  // Everything is in context.subscriptions.
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
