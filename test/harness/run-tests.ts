import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNoise } from './noise';
import { startCodeServer } from './server';
import type { Log } from './tools';
import { openWorkbench, remoteUri, type Payload, type Workbench } from './workbench';

export interface ExtensionTestRun {
  /**
   * Folder with the extension's package.json. Omit it to test extensions installed from a VSIX:
   * VS Code runs a tests module only in development mode, so an empty carrier extension is used.
   */
  extensionDevelopmentPath?: string;
  /** Module exporting `run(): Promise<void>` (test-electron's contract), absolute path. */
  extensionTestsPath: string;
  /** Folder the workbench opens. */
  workspace: string;
  /**
   * Environment of the extension host (the payload's `extensionEnvironment`); the harness adds
   * HARNESS_USER_DATA_DIR, the server's user data folder.
   */
  extensionEnv?: Record<string, string>;
  /** Environment of the server process. */
  serverEnv?: Record<string, string>;
  workspaceTrust?: boolean;
  installExtensions?: string[];
  settings?: Record<string, unknown>;
  /**
   * Whole-run limit; the run fails with code 1 when it is reached. Default 15 minutes: it only
   * ends a run that hangs (mocha times out a slow test on its own), and the extension suite,
   * about 3 minutes on an idle 2-core machine, once ran past 5 minutes under a load of 10.
   */
  timeoutMs?: number;
  /** Receives the extension host log and the harness's own lines (default: stdout). */
  log?: Log;
  keepRunDir?: boolean;
}

/**
 * Runs an extension tests module inside a real VS Code (code-server + headless Chromium) through
 * the payload URL, streams the extension host log, and resolves with the run's exit code.
 */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const log = run.log ?? ((line: string) => console.log(line));
  const timeoutMs = run.timeoutMs ?? 15 * 60_000;
  const server = await startCodeServer({
    workspace: run.workspace,
    env: run.serverEnv,
    workspaceTrust: run.workspaceTrust,
    installExtensions: run.installExtensions,
    settings: run.settings,
    keepRunDir: run.keepRunDir,
    log: (line) => {
      // Server chatter is noise unless something goes wrong; errors are worth seeing.
      if (/error/i.test(line) && !isNoise(line)) log(line);
    },
  });
  const developmentPath = run.extensionDevelopmentPath ?? (await writeCarrierExtension(server.runDir));
  const payload: Payload = [
    ['extensionTestsPath', remoteUri(server, run.extensionTestsPath)],
    ['extensionDevelopmentPath', remoteUri(server, developmentPath)],
  ];
  // The server's user data folder (logs/, User/settings.json) lets tests inspect what was written.
  const extensionEnv = { ...run.extensionEnv, HARNESS_USER_DATA_DIR: server.userDataDir };
  payload.push(['extensionEnvironment', JSON.stringify(extensionEnv)]);
  let finish: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (finish = resolve));
  const timer = setTimeout(() => {
    log(`[harness] test run timed out after ${timeoutMs} ms`);
    finish(1);
  }, timeoutMs);
  let workbench: Workbench | undefined;
  try {
    workbench = await openWorkbench(server, { folder: run.workspace, payload, onLog: (_level, message) => isNoise(message) || log(message), onExit: (code) => finish(code) });
    return await exit;
  } finally {
    clearTimeout(timer);
    await workbench?.close();
    await server.stop();
    if (run.keepRunDir) log(`[harness] kept the server's run folder ${server.runDir}`);
  }
}

/** A manifest-only extension: it contributes nothing, it only puts the host in test mode. */
async function writeCarrierExtension(runDir: string): Promise<string> {
  const dir = join(runDir, 'test-carrier');
  await mkdir(dir, { recursive: true });
  const manifest = { name: 'test-carrier', publisher: 'toa-harness', version: '0.0.0', engines: { vscode: '*' } };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  return dir;
}
