import { posix } from 'node:path';
import * as vscode from 'vscode';
import { ChangeCache } from './change-cache';
import { inputSchema, outputSchema, parseConfigBytes, ValidationError, type InputConfig, type ToaConfig } from '../core/config';
import { needsReferences, outputCollisions, type OutputPaths } from '../core/dataset';
import { fileErrorText } from '../core/util/file-error';
import { usesWorkspaceEndpoints } from './endpoints';
import { outputFields, outputWithSettings, unexpandedOutputSetting, withSettings, type OutputFields } from './overrides';
import type { InvalidValue } from './invalid-setting-memory';
import type { InvalidSettingNotices } from './invalid-setting-notices';
import { readSettings, SETTINGS_SECTION, type Settings } from './settings';
import { linkedOutputProblem } from './linked-outputs';
import { BuiltinSimulator, simulatorConfig } from './simulator';
import { isWindowsAbsolute } from './windows-path';

type OutputKind = 'sft' | 'preference' | 'trace';
export type OutputUris = Record<OutputKind, vscode.Uri>;

/** A config ready to run, and where its endpoints came from (Restricted Mode refuses 'workspace'). */
export interface RunConfig {
  config: ToaConfig;
  endpoints: 'workspace' | 'simulator';
  folder: vscode.WorkspaceFolder;
  /** The workspace config file, when there is one. */
  file?: vscode.Uri;
  outputs: OutputUris;
  /** What named each output's path, for its errors: the config's field or the setting (see outputFields). */
  outputFields: OutputFields;
}

/** The workspace config file, parsed and validated. */
interface FileConfig {
  file: vscode.Uri;
  config: ToaConfig;
}

/**
 * A folder's config file as one read found it. A run reads it once, as it starts: its rows are
 * read with its input section, and its endpoints, search and outputs come from the same read, so
 * an edit saved meanwhile applies to the next run, not to half of this one.
 */
export interface FolderConfig {
  folder: vscode.WorkspaceFolder;
  /** Undefined when the folder has no config file. */
  fromFile: FileConfig | undefined;
}

/** Input and output sections of a folder's config (defaults without a file). */
export interface ConfigSections {
  input: InputConfig;
  output: ToaConfig['output'];
  outputs: OutputUris;
  outputFields: OutputFields;
  /**
   * A run would refuse rows without a reference: the file's reward checks answers against one
   * and the file's endpoints answer (the simulator's reward needs none).
   */
  requiresReferences: boolean;
}

/**
 * Where run configs come from: `toaStudio.configPath` (default toa.config.json) in the workspace
 * folder, with the user's settings laid over it; without that file (or with
 * `toaStudio.useSimulator`) the agents and reward model are the built-in simulator's.
 */
export class ConfigSource implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** A config file viewSections read changed on disk: what views show from it may be out of date. */
  readonly onDidChangeFile = this.changed.event;
  private readonly seen = new ChangeCache<FileConfig | undefined>(
    (key) => readConfigFile(vscode.Uri.parse(key)),
    (key, changed) => watchFile(vscode.Uri.parse(key), () => (changed(), this.changed.fire())),
  );
  private readonly settingsChange = vscode.workspace.onDidChangeConfiguration((e) => {
    // Another file now: the watches of the ones before can go.
    if (e.affectsConfiguration(`${SETTINGS_SECTION}.configPath`)) this.seen.clear();
  });

  constructor(
    private readonly simulator: BuiltinSimulator,
    private readonly invalidSettings: InvalidSettingNotices,
  ) {}

  /**
   * The settings, as `folder` sees them: in a multi-root workspace each folder may set its own.
   * A value the parser refuses gives the default, and the user is told.
   */
  settings(folder?: vscode.WorkspaceFolder): Settings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri);
    const invalid: InvalidValue[] = [];
    const settings = readSettings((key) => config.get(key), (key, raw) => invalid.push({ key, raw }));
    this.invalidSettings.report(folder, invalid);
    return settings;
  }

  /** The folder a document belongs to, else the first one; undefined with no folder open. */
  folderFor(uri?: vscode.Uri): vscode.WorkspaceFolder | undefined {
    return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  }

  configUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return resolveIn(folder, this.settings(folder).configPath);
  }

  /** The workspace config file, parsed and validated; undefined when it does not exist. */
  fileConfig(folder: vscode.WorkspaceFolder): Promise<FileConfig | undefined> {
    return readConfigFile(this.configUri(folder));
  }

  /** The folder's config file, read once for a run (see FolderConfig). Throws ValidationError. */
  async read(folder: vscode.WorkspaceFolder): Promise<FolderConfig> {
    return { folder, fromFile: await this.fileConfig(folder) };
  }

  /** The config for a run, from its one read; starts the simulator if it provides the endpoints. */
  async resolve({ folder, fromFile }: FolderConfig): Promise<RunConfig> {
    const settings = this.settings(folder);
    refuseUnexpandedSettings(settings);
    const workspaceEndpoints = fromFile !== undefined && runsOnFile(fromFile.config, settings);
    const base = workspaceEndpoints ? fromFile.config : simulatorConfig(await this.simulator.server(settings['simulator.latencyMs']), fromFile?.config);
    const config = withSettings({ ...base, output: trustedOutput(base.output) }, settings);
    return { config, endpoints: workspaceEndpoints ? 'workspace' : 'simulator', folder, file: fromFile?.file, outputs: outputUris(folder, config.output), outputFields: outputFields(settings, vscode.workspace.isTrusted) };
  }

  /**
   * Input and output sections, from the config file (defaults without one). Starts nothing.
   * An invalid file gives the defaults, which suits CodeLens; `strict` throws its
   * ValidationError instead, for callers about to write where the file says. An invalid file
   * requires no references, as a run stops at its problems first.
   */
  async sections(folder: vscode.WorkspaceFolder, options: { strict?: boolean } = {}): Promise<ConfigSections> {
    const fromFile = await this.fileConfig(folder).catch((error: unknown) => {
      if (options.strict) throw error;
      return undefined;
    });
    if (options.strict) refuseUnexpandedSettings(this.settings(folder));
    return this.sectionsOf({ folder, fromFile });
  }

  /**
   * As `sections` (an invalid file gives the defaults), from the file as last read: it is read
   * again only once a watcher saw it change, or the setting naming it did. For views that ask
   * often: CodeLens at every refresh (a run's every output write brings one), the Problems
   * recheck at every edit. A run reads the file fresh (read), as do the commands that write
   * where it says.
   */
  async viewSections(folder: vscode.WorkspaceFolder): Promise<ConfigSections> {
    const fromFile = await this.seen.get(this.configUri(folder).toString()).catch(() => undefined);
    return this.sectionsOf({ folder, fromFile });
  }

  /** The sections of a config already read. */
  sectionsOf({ folder, fromFile }: FolderConfig): ConfigSections {
    const settings = this.settings(folder);
    const input = fromFile?.config.input ?? inputSchema.parse({});
    const output = outputWithSettings(trustedOutput(fromFile?.config.output ?? outputSchema.parse({})), settings);
    const requiresReferences = fromFile !== undefined && runsOnFile(fromFile.config, settings) && needsReferences(fromFile.config.reward);
    return { input, output, outputs: outputUris(folder, output), outputFields: outputFields(settings, vscode.workspace.isTrusted), requiresReferences };
  }

  dispose(): void {
    this.settingsChange.dispose();
    this.seen.clear();
    this.changed.dispose();
  }
}

/** A config file, parsed and validated; undefined when it does not exist. Throws ValidationError. */
async function readConfigFile(file: vscode.Uri): Promise<FileConfig | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(file);
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw new ValidationError([{ file: vscode.workspace.asRelativePath(file), path: '', message: fileErrorText(error) }]);
  }
  // Problems carry the line of the field they name, for the Problems view (see field-line.ts).
  return { file, config: parseConfigBytes(bytes, vscode.workspace.asRelativePath(file)) };
}

/**
 * Calls `changed` when the file is created, changed or deleted. A non-recursive watch of its
 * folder: served inside and outside the workspace, and started once the folder exists.
 */
function watchFile(file: vscode.Uri, changed: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(file, '..'), posix.basename(file.path)));
  return vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
}

/** Whether runs use the file's agents and reward model, not the built-in simulator's. */
function runsOnFile(config: ToaConfig, settings: Settings): boolean {
  return !settings.useSimulator && usesWorkspaceEndpoints(config);
}

/**
 * In Restricted Mode the file's output paths are not taken: a cloned repository could point
 * them anywhere (`../.bashrc`, `.git/hooks/pre-commit`) and have every run append prompt text
 * there, the simulator's runs included. The defaults (data/*.jsonl) stand instead, as do the
 * user's own settings (VS Code ignores workspace values of the restricted output settings).
 */
function trustedOutput(output: ToaConfig['output'], trusted = vscode.workspace.isTrusted): ToaConfig['output'] {
  if (trusted) return output;
  const defaults = outputSchema.parse({});
  return { ...output, sft: defaults.sft, preference: defaults.preference, trace: defaults.trace };
}

/** Before writing: an output setting holding `~` or `$HOME` would make a folder so named (see unexpandedOutputSetting). */
function refuseUnexpandedSettings(settings: Settings): void {
  const problem = unexpandedOutputSetting(settings);
  if (problem !== undefined) throw new Error(problem);
}

/** The outputs' file-system paths, as core's output functions take them. */
export function outputPaths(outputs: OutputUris): OutputPaths {
  return { sft: outputs.sft.fsPath, preference: outputs.preference.fsPath, trace: outputs.trace.fsPath };
}

/**
 * The outputs' paths when all three are files on disk, for their lock and guards; otherwise
 * none: a virtual file system has no lock files, and its files are only ever replaced whole.
 */
export function outputsOnDisk(outputs: OutputUris): OutputPaths | undefined {
  return Object.values(outputs).every((uri) => uri.scheme === 'file') ? outputPaths(outputs) : undefined;
}

/**
 * Restricted Mode: refuses outputs reached through a symbolic link inside a workspace folder
 * (see linked-outputs.ts), the run's lock file beside the trace included. Outputs on disk only.
 */
export async function refuseLinkedOutputs(outputs: OutputUris, trusted = vscode.workspace.isTrusted): Promise<void> {
  if (trusted) return;
  const onDisk = Object.values(outputs).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
  if (outputs.trace.scheme === 'file') onDisk.push(`${outputs.trace.fsPath}.lock`);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const problem = await linkedOutputProblem(folders, onDisk);
  if (problem) throw new Error(problem);
}

/**
 * Refuses outputs that are one file, or the input's (`input`), as the CLI does (see
 * outputCollisions), naming the fields or settings that chose them (`fields`).
 */
export function refuseSharedOutputs(outputs: OutputUris, fields: OutputFields, input?: vscode.Uri): void {
  const named = (uri: vscode.Uri, field: string): { path: string; field: string } => ({ path: uri.scheme === 'file' ? uri.fsPath : uri.toString(), field });
  const collisions = outputCollisions({ sft: named(outputs.sft, fields.sft), preference: named(outputs.preference, fields.preference), trace: named(outputs.trace, fields.trace) }, input && named(input, 'the input file'));
  if (collisions.length) throw new Error(collisions.map((c) => `${c.field} ${c.message}`).join('; '));
}

function outputUris(folder: vscode.WorkspaceFolder, o: ToaConfig['output']): OutputUris {
  return { sft: resolveIn(folder, o.sft), preference: resolveIn(folder, o.preference), trace: resolveIn(folder, o.trace) };
}

function resolveIn(folder: vscode.WorkspaceFolder, path: string): vscode.Uri {
  if (isWindowsAbsolute(path)) return vscode.Uri.file(path);
  return path.startsWith('/') ? folder.uri.with({ path }) : vscode.Uri.joinPath(folder.uri, path);
}
