import { resolve } from 'node:path';

/**
 * Stands in for the VS Code executable that `@vscode/test-cli` (through test-electron's
 * `runTests`) launches when `.vscode-test.mjs` says `useInstallation: { fromPath }`. It takes
 * test-electron's arguments and runs them in code-server + Chromium.
 *
 * Read from test-electron's argv: --extensionTestsPath=, --extensionDevelopmentPath=, and the
 * workspace folder (first positional). Electron-only flags (--no-sandbox, --user-data-dir=, ...)
 * are ignored: the harness isolates its own profile.
 * Read from the environment (set with `env` in .vscode-test.mjs):
 *   VSCODE_TEST_OPTIONS  test-cli's runner options, handed to the extension host;
 *   TOA_*                handed to the extension host too, for the tests' own use;
 *   HARNESS_WORKSPACE_TRUST=on   keep Workspace Trust on (test-electron always disables it);
 *   HARNESS_VSIX=<file>          install this VSIX and test it instead of the development folder;
 *   HARNESS_HOST_LOG=<file>      also append the streamed extension host log to this file, and
 *                                hand its path to the tests as TOA_HOST_LOG;
 *   HARNESS_KEEP_RUN_DIR=1       keep the server's run folder (user data, logs) for debugging;
 *   HARNESS_TIMEOUT_MS=<ms>      the whole run's limit (default: runExtensionTests's, 15 minutes).
 * The extension host also gets HARNESS_USER_DATA_DIR (the server's user data: logs/, User/).
 */
export interface ShimArgs {
  extensionTestsPath: string;
  extensionDevelopmentPath?: string;
  workspace: string;
}

export function parseShimArgs(argv: string[], cwd: string): ShimArgs {
  let tests: string | undefined;
  let dev: string | undefined;
  const positional: string[] = [];
  for (const arg of argv) {
    const m = /^--([\w-]+)=(.*)$/.exec(arg);
    if (m?.[1] === 'extensionTestsPath') tests = m[2];
    else if (m?.[1] === 'extensionDevelopmentPath') dev = m[2];
    else if (!arg.startsWith('-')) positional.push(arg);
  }
  if (!tests) throw new Error('the shim needs --extensionTestsPath=<file>');
  if (!positional[0]) throw new Error('the shim needs a workspace folder (set workspaceFolder in .vscode-test.mjs)');
  return { extensionTestsPath: resolve(cwd, tests), extensionDevelopmentPath: dev && resolve(cwd, dev), workspace: resolve(cwd, positional[0]) };
}

export function extensionEnvFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && (key === 'VSCODE_TEST_OPTIONS' || key.startsWith('TOA_'))) out[key] = value;
  }
  return out;
}


/** HARNESS_TIMEOUT_MS, when set: a positive whole number of milliseconds, or an error naming it. */
export function runTimeoutFrom(env: NodeJS.ProcessEnv): number | undefined {
  const given = env.HARNESS_TIMEOUT_MS?.trim();
  if (!given) return undefined;
  const ms = Number(given);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`HARNESS_TIMEOUT_MS: must be a positive whole number of milliseconds, got "${given}"`);
  return ms;
}
