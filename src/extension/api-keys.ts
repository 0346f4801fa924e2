import * as vscode from 'vscode';
import { isLoopbackUrl } from '../core/http/loopback';
import { configEndpoints, endpointOrigin, keyChoices } from './endpoints';
import type { ConfigSource } from './config-source';
import { activeEditorUri } from './editor-prompts';
import { askForKey, type KeyStore } from './secrets';
import { showInformation } from './notify';

/**
 * Set / clear API key commands. Interactive: pick one of the configuration's endpoints (or type
 * a URL) and enter the key in a password box. Scripted: (url, key) and (url), for tests and
 * other extensions; the key still goes only to SecretStorage.
 */
export async function setApiKey(keys: KeyStore, configs: ConfigSource, url?: unknown, key?: unknown): Promise<boolean> {
  const target = typeof url === 'string' ? url : await pickEndpoint(configs, 'Set the API key for which endpoint?', []);
  if (!target || !validUrl(target)) return false;
  const value = typeof key === 'string' && key.trim() ? key.trim() : await askForKey({ label: endpointOrigin(target), url: target });
  if (!value) return false;
  await keys.set(target, value);
  if (typeof key !== 'string') void showInformation(`TOA Studio: API key stored for ${endpointOrigin(target)} (in VS Code's secret storage).`);
  return true;
}

export async function clearApiKey(keys: KeyStore, configs: ConfigSource, url?: unknown): Promise<boolean> {
  const stored = keys.origins();
  const target = typeof url === 'string' ? url : await pickEndpoint(configs, 'Clear the API key of which endpoint?', stored, true);
  if (!target || !validUrl(target)) return false;
  await keys.delete(target);
  if (typeof url !== 'string') void showInformation(`TOA Studio: API key for ${endpointOrigin(target)} removed.`);
  return true;
}

interface EndpointItem extends vscode.QuickPickItem {
  url?: string;
}

async function pickEndpoint(configs: ConfigSource, title: string, stored: string[], storedOnly = false): Promise<string | undefined> {
  const folder = configs.folderFor(activeEditorUri());
  const fromConfig = folder ? await configs.fileConfig(folder).catch(() => undefined) : undefined;
  const endpoints = fromConfig ? configEndpoints(fromConfig.config).filter((e) => !isLoopbackUrl(e.url)) : [];
  const items: EndpointItem[] = keyChoices(endpoints, stored, storedOnly);
  if (!storedOnly) items.push({ label: '$(edit) Another endpoint...', alwaysShow: true });
  if (storedOnly && !items.length) {
    void showInformation('TOA Studio: no API keys are stored.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: `TOA Studio: ${title}` });
  if (!picked) return undefined;
  return picked.url ?? vscode.window.showInputBox({ title: 'TOA Studio: endpoint URL', prompt: 'e.g. https://api.openai.com/v1', validateInput: (v) => (validUrl(v) ? undefined : 'Enter an http(s) URL.') });
}

function validUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
