import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../../../src/shared/protocol';

/** The extension under test, as package.json names it (publisher.name). */
export const EXTENSION_ID = 'toa-studio.toa-studio';

/** What activate() returns (the contract the tests rely on). */
export interface ToaStudioApi {
  snapshot(): PanelSnapshot;
  statusBar(): { text: string; tooltip: string };
}

/** What the run commands resolve with; undefined when the run did not start. */
export interface RunResultLike {
  runId: string;
  cancelled: boolean;
  totals: { prompts: number; done: number; failed: number; plays: number; [key: string]: number };
  outputs: { sft: string; preference: string; trace: string };
  source: string;
  skippedElsewhere?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The placeholder origin of the fixture's toa.config.json; tests point it at their own sim. */
const PLACEHOLDER_ORIGIN = 'http://127.0.0.1:9';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (workspaceFolder in .vscode-test.mjs)');
  return folder.uri.fsPath;
}

export function inWorkspace(...parts: string[]): string {
  return join(workspaceDir(), ...parts);
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(inWorkspace(...parts));
}

/** Activates the extension (as a command would) and returns its API. */
export async function activateExtension(): Promise<{ extension: vscode.Extension<ToaStudioApi>; api: ToaStudioApi }> {
  const extension = vscode.extensions.getExtension<ToaStudioApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  return { extension, api };
}

let fixtureConfig: string | undefined;

/**
 * Writes the workspace's toa.config.json: the fixture's, with its endpoints at `origin` (a sim's
 * URL) and the given sections merged over the fixture's.
 */
export async function writeConfig(origin: string, sections: Record<string, Record<string, unknown>> = {}): Promise<void> {
  const file = inWorkspace('toa.config.json');
  fixtureConfig ??= await readFile(file, 'utf8');
  const config = JSON.parse(fixtureConfig.split(PLACEHOLDER_ORIGIN).join(origin)) as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(sections)) config[key] = { ...config[key], ...value };
  await writeFile(file, JSON.stringify(config, null, 2));
}

/** Puts the fixture's toa.config.json back (placeholder endpoints). */
export async function restoreConfig(): Promise<void> {
  if (fixtureConfig !== undefined) await writeFile(inWorkspace('toa.config.json'), fixtureConfig);
}

/** Sets `toaStudio.*` settings in the workspace (.vscode/settings.json of the fixture copy). */
export async function setSettings(values: Record<string, unknown>, target = vscode.ConfigurationTarget.Workspace): Promise<void> {
  const config = vscode.workspace.getConfiguration('toaStudio');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, target);
}

export async function resetSettings(keys: string[], target = vscode.ConfigurationTarget.Workspace): Promise<void> {
  await setSettings(Object.fromEntries(keys.map((key) => [key, undefined])), target);
}

/** Removes the default outputs (data/), so a run's rows are the only rows. */
export async function clearOutputs(): Promise<void> {
  await rm(inWorkspace('data'), { recursive: true, force: true });
}

export async function readJsonl<T = Record<string, unknown>>(file: string): Promise<T[]> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** The fixture's prompts.jsonl rows as the extension should read them: id -> conversation. */
export async function fixturePrompts(): Promise<Array<{ id: string; messages: ChatMessage[] }>> {
  const rows = await readJsonl<Record<string, unknown>>(inWorkspace('prompts.jsonl'));
  return rows.map((row) => {
    const id = String(row.id);
    if (Array.isArray(row.messages)) return { id, messages: row.messages as ChatMessage[] };
    if (typeof row.prompt === 'string') return { id, messages: [{ role: 'user', content: row.prompt }] };
    const input = typeof row.input === 'string' && row.input.trim() ? `\n\n${row.input}` : '';
    return { id, messages: [{ role: 'user', content: `${String(row.instruction)}${input}` }] };
  });
}

/** Opens a workspace file and selects whole lines `first`..`last` (1-based, inclusive). */
export async function openWithSelection(file: string, first: number, last: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(file));
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(first - 1, 0, last - 1, document.lineAt(last - 1).text.length);
  return editor;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 50): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects when `promise` takes longer than `ms`. */
export async function within<T>(ms: number, what: string, promise: Thenable<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Files under `dir` (recursively) whose content contains `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const hits: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path).catch(() => undefined);
    if (content?.includes(needle)) hits.push(path);
  }
  return hits;
}

/** Files under `dir` (recursively) whose name matches. */
async function filesNamed(dir: string, pattern: RegExp): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && pattern.test(e.name)).map((e) => join(e.parentPath, e.name));
}

/** The extension's own log (its "TOA Studio" LogOutputChannel), from the server's logs folder. */
export async function extensionLog(): Promise<string> {
  const userData = process.env.HARNESS_USER_DATA_DIR;
  if (!userData) return '';
  const files = await filesNamed(join(userData, 'logs'), /TOA Studio\.log$/);
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
  return texts.join('\n');
}

/**
 * Cancels whatever run is still going (after a failed test), so the next test does not meet
 * "a run is already in progress".
 */
export async function stopAnyRun(): Promise<void> {
  const api = vscode.extensions.getExtension<ToaStudioApi>(EXTENSION_ID)?.exports;
  if (!api?.snapshot().running) return;
  await vscode.commands.executeCommand('toaStudio.cancelRun');
  await waitFor('the run to stop', () => !api.snapshot().running, 15_000);
}
