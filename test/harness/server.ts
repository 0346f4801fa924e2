import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRunDir, type RunDir } from './isolation';
import { ensureTestTools, type Log } from './tools';

export interface CodeServerOptions {
  /** Folder the server opens by default (absolute path). */
  workspace: string;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** Defaults to a fresh folder in the run dir. */
  extensionsDir?: string;
  /** User settings (settings.json) written before start, e.g. `workbench.colorTheme`. */
  settings?: Record<string, unknown>;
  /** Keep Workspace Trust on (default off, like test-electron) to test Restricted Mode. */
  workspaceTrust?: boolean;
  /** VSIX files to install (`--install-extension`) into the extensions dir before start. */
  installExtensions?: string[];
  /** Server output, line by line (default: dropped). */
  log?: Log;
  /** Keep the run dir (logs, user data) after stop, for debugging. */
  keepRunDir?: boolean;
}

export interface CodeServer {
  url: string;
  port: number;
  /** The per-run folder: user-data/, extensions/, xdg-*, tmp/. */
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** Offline, the built-in chat, gallery and update checks only add log noise and network waits. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

/**
 * Starts code-server (VS Code 1.139 server + web workbench) on 127.0.0.1 at a free port, in
 * its own process group with isolated XDG_* and TMPDIR. `stop()` kills the whole group so the
 * extension host and file watchers go with it.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const tools = await ensureTestTools(options.log);
  const dir = await makeRunDir('toa-code-server');
  const userDataDir = join(dir.root, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(dir.root, 'extensions');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  const settings = { ...QUIET_SETTINGS, ...options.settings };
  await writeFile(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  await writeFile(join(dir.root, 'config.yaml'), 'auth: none\n');
  const env = { ...process.env, ...dir.env, ...options.env };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', join(dir.root, 'config.yaml')];
  for (const vsix of options.installExtensions ?? []) {
    await runToEnd(tools.node, [tools.codeServer, ...common, '--install-extension', vsix], env, options.log);
  }
  const args = [
    tools.codeServer, ...common,
    '--auth', 'none', '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry', '--disable-update-check', '--ignore-last-opened',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--vscode-option', 'enable-smoke-test-driver',
    options.workspace,
  ];
  const child = spawn(tools.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = stopper(child, dir, options.keepRunDir === true);
  try {
    const port = await listeningPort(child, options.log);
    return { url: `http://127.0.0.1:${port}`, port, runDir: dir.root, userDataDir, extensionsDir, env: dir.env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the port from code-server's "HTTP server listening on" line. */
function listeningPort(child: ChildProcess, log?: Log): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${START_TIMEOUT_MS} ms:\n${buffer.slice(-2000)}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      buffer += text;
      for (const line of text.split('\n')) if (line.trim()) log?.(`[code-server] ${line}`);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with code ${code} before listening:\n${buffer.slice(-2000)}`));
    });
  });
}

/** SIGTERM to the group, SIGKILL after a grace period; then the run dir goes. */
function stopper(child: ChildProcess, dir: RunDir, keep: boolean): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // Children that ignored SIGTERM (extension host, watchers) must not outlive the run.
      signalGroup(child, 'SIGKILL');
      if (!keep) await dir.remove();
    })();
    return stopping;
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv, log?: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      log?.(`[code-server] ${output.trim()}`);
      if (code === 0) resolve();
      else reject(new Error(`${args.join(' ')} failed (${code}):\n${output}`));
    });
  });
}
