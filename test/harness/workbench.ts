import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './server';
import { chromiumPath } from './paths';

/** Flags verified with Debian's Chromium in a container without GPU or network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** `[name, value]` pairs the workbench reads from the `payload` query (smoke-test driver only). */
export type Payload = Array<[string, string]>;

export interface WorkbenchOptions {
  /** Folder to open (absolute path on the server). */
  folder: string;
  payload?: Payload;
  /** A color theme label, e.g. 'Default Dark Modern' or 'Default Light Modern'. */
  theme?: string;
  viewport?: { width: number; height: number };
  /** Workbench log lines (`window.codeAutomationLog`): the extension host's console included. */
  onLog?(level: string, message: string): void;
  /** Called when the extension host ends a test run (`window.codeAutomationExit`). */
  onExit?(code: number): void;
}

export interface Workbench {
  /** A persistent context: its profile lives in the server's run dir, not in /tmp. */
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Opens the workbench of `server` in headless Chromium (Debian's, driven by playwright-core).
 * The automation hooks are exposed before navigation, as the workbench looks for them at start.
 */
export async function openWorkbench(server: CodeServer, options: WorkbenchOptions): Promise<Workbench> {
  if (options.theme) await mergeUserSettings(server, { 'workbench.colorTheme': options.theme });
  const profile = join(server.runDir, 'chromium');
  await mkdir(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
    env: { ...process.env, ...server.env },
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) => options.onLog?.(String(level), logText(message)));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => options.onExit?.(Number(code)));
    await page.goto(workbenchUrl(server, options.folder, options.payload));
    return { context, page, close: () => context.close() };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/**
 * The workbench hands over a console call's arguments as an array (mocha's reporter logs
 * printf-style: `['%d passing (%s)', 3, '2s']`); format them as Node's console would.
 */
function logText(message: unknown): string {
  return Array.isArray(message) ? format(...(message as unknown[])) : String(message);
}

/** A folder opens as one; a `.code-workspace` file opens as a (multi-root) workspace. */
export function workbenchUrl(server: CodeServer, folder: string, payload?: Payload): string {
  const query = new URLSearchParams(folder.endsWith('.code-workspace') ? { workspace: folder } : { folder });
  if (payload) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query.toString()}`;
}

/** A server-side path as the workbench addresses it (the remote authority is the server). */
export function remoteUri(server: CodeServer, absPath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${absPath}`;
}

async function mergeUserSettings(server: CodeServer, settings: Record<string, unknown>): Promise<void> {
  const file = join(server.userDataDir, 'User', 'settings.json');
  const current = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...current, ...settings }, null, 2));
}
