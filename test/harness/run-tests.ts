import { isNoise } from './noise';
import { startCodeServer } from './server';
import type { Log } from './tools';
import { openWorkbench, remoteUri, type Payload, type Workbench } from './workbench';

export interface ExtensionTestRun {
  /** Folder with the extension's package.json; omit to test extensions installed from VSIX. */
  extensionDevelopmentPath?: string;
  /** Module exporting `run(): Promise<void>` (test-electron's contract), absolute path. */
  extensionTestsPath: string;
  /** Folder the workbench opens. */
  workspace: string;
  /** Environment of the extension host (the payload's `extensionEnvironment`). */
  extensionEnv?: Record<string, string>;
  /** Environment of the server process. */
  serverEnv?: Record<string, string>;
  workspaceTrust?: boolean;
  installExtensions?: string[];
  settings?: Record<string, unknown>;
  /** Whole-run limit; the run fails with code 1 when it is reached. Default 5 minutes. */
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
  const timeoutMs = run.timeoutMs ?? 5 * 60_000;
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
  const payload: Payload = [['extensionTestsPath', remoteUri(server, run.extensionTestsPath)]];
  if (run.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(server, run.extensionDevelopmentPath)]);
  if (run.extensionEnv) payload.push(['extensionEnvironment', JSON.stringify(run.extensionEnv)]);
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
  }
}
