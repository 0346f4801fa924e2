import * as vscode from 'vscode';
import { isLoopbackUrl } from '../core/http/loopback';
import { endpointOrigin, keyPromptText, type Endpoint } from './endpoints';

/**
 * The one place API keys live: VS Code's SecretStorage, under names of one closed form,
 * `toaStudio.apiKey:<origin>`. A key is bound to the endpoint origin it was entered for, so a
 * configuration file cannot send it anywhere else. Keys never go to settings, logs, outputs or
 * the webview; only the list of origins that have a key (not secret) is kept in global state.
 */
type SecretName = `toaStudio.apiKey:${string}`;

const INDEX_KEY = 'toaStudio.apiKeyOrigins';

function secretName(url: string): SecretName {
  return `toaStudio.apiKey:${endpointOrigin(url)}`;
}

export class KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  get(url: string): Thenable<string | undefined> {
    return this.secrets.get(secretName(url));
  }

  async set(url: string, key: string): Promise<void> {
    await this.secrets.store(secretName(url), key);
    const origin = endpointOrigin(url);
    const origins = this.origins();
    if (!origins.includes(origin)) await this.state.update(INDEX_KEY, [...origins, origin].sort());
  }

  async delete(url: string): Promise<void> {
    await this.secrets.delete(secretName(url));
    const origin = endpointOrigin(url);
    await this.state.update(INDEX_KEY, this.origins().filter((o) => o !== origin));
  }

  /** Origins that have a stored key. */
  origins(): string[] {
    const value = this.state.get<unknown>(INDEX_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  /**
   * The key for each endpoint origin that has one. A remote endpoint without a key is asked for
   * one (password box; stored on entry). Resolves undefined when the user dismisses a prompt,
   * or when `token` is cancelled (the run's Cancel), which closes the prompt shown.
   */
  async keysFor(endpoints: readonly Endpoint[], token?: vscode.CancellationToken): Promise<Map<string, string> | undefined> {
    const keys = new Map<string, string>();
    for (const endpoint of endpoints) {
      const origin = endpointOrigin(endpoint.url);
      if (keys.has(origin)) continue;
      let key = await this.get(endpoint.url);
      if (!key && !isLoopbackUrl(endpoint.url)) {
        if (token?.isCancellationRequested) return undefined;
        key = await askForKey(endpoint, token);
        if (key === undefined) return undefined;
        await this.set(endpoint.url, key);
      }
      if (key) keys.set(origin, key);
    }
    return keys;
  }
}

/** Undefined when the user dismisses the box, or when `token` is cancelled (VS Code then closes it). */
export async function askForKey(endpoint: Endpoint, token?: vscode.CancellationToken): Promise<string | undefined> {
  const options: vscode.InputBoxOptions = {
    title: `TOA Studio: API key for ${endpoint.label}`,
    prompt: keyPromptText(endpoint.url),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
  };
  const key = await vscode.window.showInputBox(options, token);
  return key?.trim() || undefined;
}
