import * as vscode from 'vscode';
import { resolveConfigSearch } from '../core';
import { setConfigValue } from './config-edit';
import type { ConfigSource } from './config-source';
import { activeEditorUri } from './editor-prompts';
import { showInformation, showWarning } from './notify';
import { askForFolder } from './open-folder';

/**
 * "Set Search tau": writes `search.tau` into the workspace config file. The run's tau warning
 * offers it with the tau the rewards suggest; from the palette it asks, starting from the tau
 * the config resolves to now. Resolves with the tau written, or undefined if nothing was.
 */
export async function setSearchTau(configs: ConfigSource, tau?: unknown, file?: unknown): Promise<number | undefined> {
  const folder = configs.folderFor(file instanceof vscode.Uri ? file : activeEditorUri());
  if (!folder) {
    void askForFolder('search.tau lives in its configuration file');
    return undefined;
  }
  const found = await configs.fileConfig(folder);
  if (!found) {
    const path = vscode.workspace.asRelativePath(configs.configUri(folder));
    void showWarning(`TOA Studio: there is no ${path}; runs use the built-in simulator, whose rewards suit the default tau. Create ${path} (TOA Studio: Create Configuration File...) to set search.tau.`);
    return undefined;
  }
  const value = isTau(tau) ? tau : await askTau(resolveConfigSearch(found.config).params.tau);
  if (value === undefined) return undefined;
  const saved = await setConfigValue(found.file, ['search', 'tau'], value);
  const path = vscode.workspace.asRelativePath(found.file);
  void showInformation(
    saved ? `TOA Studio: search.tau is ${value} in ${path}; the next run uses it.` : `TOA Studio: search.tau is ${value} in ${path}, which has unsaved changes: save it for the next run to use it.`,
  );
  return value;
}

function isTau(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

async function askTau(current: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title: 'TOA Studio: search.tau',
    prompt: 'Values are sigmoid(reward / tau): choose tau near the size of your reward model\'s scores (0.1 for small scores like ArmoRM\'s, about 1 for logit-scale models).',
    value: String(current),
    validateInput: (text) => (isTau(Number(text)) && text.trim() !== '' ? undefined : 'a number above 0'),
  });
  return answer === undefined ? undefined : Number(answer);
}
