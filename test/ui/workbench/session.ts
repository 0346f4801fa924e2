import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { isNoise, openWorkbench, remoteUri, repoRoot, startCodeServer, type CodeServer, type Workbench } from '../../harness';

/**
 * One real VS Code (code-server + headless Chromium) on a throwaway copy of a workspace, with
 * this repository loaded as the extension under development. Everything it starts is stopped
 * by `close()`, which is idempotent, so after-hooks can always call it.
 */

export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;

/** Settings that make the workbench quiet and the screenshots clean. */
const WORKBENCH_SETTINGS: Record<string, unknown> = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.layoutControl.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'editor.wordWrap': 'on',
  'editor.scrollBeyondLastLine': false,
  'git.enabled': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
};

export interface SessionOptions {
  /** Files of the workspace, by relative path (written into a fresh temp folder). */
  files: Record<string, string>;
  /** User settings, laid over the quiet defaults. */
  settings?: Record<string, unknown>;
  theme?: string;
  viewport?: { width: number; height: number };
  /** Environment of code-server and its extension host. */
  env?: Record<string, string>;
  /** User keybindings (keybindings.json), e.g. a key for a command a test must run without the palette's delay. */
  keybindings?: Array<{ key: string; command: string }>;
}

export interface Session {
  server: CodeServer;
  workbench: Workbench;
  page: Page;
  /** The workspace folder (a temp copy; removed by close). */
  workspace: string;
  /** The TOA Studio panel's document (the webview's inner frame). */
  panel: FrameLocator;
  /** The panel's inner frame as a Frame, for evaluating in it. */
  panelFrame(): Promise<Frame>;
  /** Workbench and extension host console lines, minus noise. */
  logs: string[];
  /** The extension's 'TOA Studio' output channel as code-server wrote it to disk. */
  toaLog(): Promise<string>;
  close(): Promise<void>;
}

/** The extension host loads dist/; build it when it is missing (a fresh clone). */
export function ensureBuilt(): void {
  const outputs = ['dist/extension.js', 'dist/webview.js', 'dist/webview.css'];
  if (outputs.every((f) => existsSync(join(repoRoot, f)))) return;
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}

export async function startSession(options: SessionOptions): Promise<Session> {
  ensureBuilt();
  const workspace = await mkdtemp(join(tmpdir(), 'toa-ui-ws-'));
  for (const [path, text] of Object.entries(options.files)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), text);
  }
  const logs: string[] = [];
  const keep = process.env.TOA_UI_KEEP === '1';
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const close = once(async () => {
    await workbench?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (!keep) await rm(workspace, { recursive: true, force: true, maxRetries: 3 });
    else console.log(`TOA_UI_KEEP: workspace ${workspace}${server ? `, code-server run dir ${server.runDir}` : ''}`);
  });
  try {
    server = await startCodeServer({
      workspace,
      env: options.env,
      settings: { ...WORKBENCH_SETTINGS, ...options.settings },
      keepRunDir: keep,
      log: (line) => {
        if (!isNoise(line)) logs.push(line);
      },
    });
    const srv = server;
    if (options.keybindings) await writeFile(join(srv.userDataDir, 'User', 'keybindings.json'), JSON.stringify(options.keybindings, null, 2));
    workbench = await openWorkbench(srv, {
      folder: workspace,
      payload: [['extensionDevelopmentPath', remoteUri(srv, repoRoot)]],
      theme: options.theme,
      viewport: options.viewport ?? { width: 1400, height: 900 },
      onLog: (level, message) => {
        if (!isNoise(message)) logs.push(`[${level}] ${message}`);
      },
    });
    const page = workbench.page;
    page.setDefaultTimeout(30_000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    return {
      server: srv,
      workbench,
      page,
      workspace,
      panel,
      logs,
      panelFrame: async () => {
        const handle = await page.frameLocator('iframe.webview.ready').locator('#active-frame').elementHandle();
        const frame = await handle?.contentFrame();
        if (!frame) throw new Error('the TOA Studio panel has no frame');
        return frame;
      },
      toaLog: () => readToaLog(srv),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** user-data/logs/<session>/exthost*\/toa-studio.toa-studio/TOA Studio.log, all sessions. */
async function readToaLog(server: CodeServer): Promise<string> {
  const root = join(server.userDataDir, 'logs');
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory() && depth < 4) await walk(path, depth + 1);
      else if (e.isFile() && e.name.endsWith('TOA Studio.log')) found.push(await readFile(path, 'utf8'));
    }
  };
  await walk(root, 0);
  return found.join('\n');
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
