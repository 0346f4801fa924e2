import * as vscode from 'vscode';
import { isStarterProvider, STARTER_PROVIDER_NAMES, STARTER_PROVIDERS, starterConfigText, type StarterProvider } from '../core/config';
import { COMMANDS } from './commands';
import type { ConfigSource } from './config-source';
import { activeEditorUri } from './editor-prompts';
import { fileExists } from './file-exists';
import { isLoopbackUrl } from '../core/http/loopback';
import { showInformation } from './notify';
import { askForFolder } from './open-folder';

/**
 * "Create Configuration File": the way from the built-in simulator to real endpoints. Writes a
 * starter `toa.config.json` (one agent per provider picked, an LLM judge as reward) into the
 * folder of the active editor and opens it; an existing file is opened, never replaced. Then
 * offers what the file still needs: API keys, and turning the simulator setting off.
 * `providers` (scripted: tests, other extensions) skips the pick. Resolves with the file.
 */
export async function createConfig(configs: ConfigSource, providers?: unknown): Promise<vscode.Uri | undefined> {
  const folder = configs.folderFor(activeEditorUri());
  if (!folder) {
    void askForFolder('the configuration file lives in a workspace folder');
    return undefined;
  }
  const file = configs.configUri(folder);
  const path = vscode.workspace.asRelativePath(file);
  if (await fileExists(file)) return openExisting(file, path);
  const scripted = isProviderList(providers);
  const picked = scripted ? providers : await pickProviders();
  if (!picked?.length) return undefined;
  // Asked again: the file may have been made while the pick was open, and is never replaced.
  if (await fileExists(file)) return openExisting(file, path);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(starterConfigText(picked)));
  await vscode.window.showTextDocument(file);
  if (!scripted) void offerNextSteps(file, path, picked, configs.settings(folder).useSimulator);
  return file;
}

async function openExisting(file: vscode.Uri, path: string): Promise<vscode.Uri> {
  await vscode.window.showTextDocument(file);
  void showInformation(`TOA Studio: ${path} already exists; opened it.`);
  return file;
}

async function offerNextSteps(file: vscode.Uri, path: string, providers: readonly StarterProvider[], useSimulator: boolean): Promise<void> {
  const needKeys = providers.filter((p) => !isLoopbackUrl(STARTER_PROVIDERS[p].baseURL));
  const steps = [
    `Created ${path}: ${providers.length === 1 ? 'one agent' : `${providers.length} agents`}, scored by an LLM judge. Change each model to one your endpoint serves.`,
    needKeys.length ? `${needKeys.map((p) => STARTER_PROVIDERS[p].label).join(' and ')} need${needKeys.length === 1 ? 's' : ''} an API key.` : '',
    useSimulator ? 'Runs still use the simulated endpoints (toaStudio.useSimulator is on).' : '',
  ];
  const actions = [...(needKeys.length ? ['Set API Key...'] : []), ...(useSimulator ? ['Use Configured Endpoints'] : [])];
  const chosen = await showInformation(`TOA Studio: ${steps.filter(Boolean).join(' ')}`, ...actions);
  if (chosen === 'Set API Key...') await vscode.commands.executeCommand(COMMANDS.setApiKey);
  if (chosen === 'Use Configured Endpoints') await vscode.commands.executeCommand(COMMANDS.useConfiguredEndpoints, file);
}

async function pickProviders(): Promise<StarterProvider[] | undefined> {
  const items = STARTER_PROVIDER_NAMES.map((name) => {
    const { label, baseURL, model } = STARTER_PROVIDERS[name];
    return { label, description: model, detail: baseURL, picked: name === 'openai' || name === 'ollama', name };
  });
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'TOA Studio: which endpoints should the agents use?',
    placeHolder: 'One agent each; the search works best with several',
    canPickMany: true,
  });
  return chosen?.map((item) => item.name);
}

function isProviderList(value: unknown): value is StarterProvider[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && isStarterProvider(v));
}
