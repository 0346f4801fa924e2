// @vscode/test-cli configuration: the integration tests (test/integration) run with mocha inside a
// real VS Code, code-server 4.139.1 driven by headless Chromium (test/harness; see
// /work/shared/design/testing-in-real-vscode.md). `useInstallation.fromPath` is the harness's
// shim, which takes test-electron's arguments and runs them there.
//
// Loading this file prepares the run: it rebuilds dist/ when src/ or webview/ changed since
// (TOA_INTEGRATION_NO_BUILD=1 takes dist/ as it is), compiles the tests to out/integration/,
// copies the fixture workspace to a temporary folder per configuration (the repository stays
// clean; TOA_KEEP_TEST_DIR=1 keeps the copies), and packages the VSIX when the `vsix`
// configuration is selected. Configurations (select with --label):
//   extension   the development build: activation, runs, outputs, keys, cancel
//   restricted  Workspace Trust on and the workspace untrusted (Restricted Mode)
//   vsix        the packaged extension installed from its VSIX
//   multiroot   a two-folder workspace (.code-workspace), each folder with its own config and settings
import { defineConfig } from '@vscode/test-cli';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIntegrationTests } from './test/integration/build.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const shim = join(root, 'test', 'harness', 'vscode-shim');
const fixture = join(root, 'test', 'integration', 'workspace');

const labels = selectedLabels(process.argv.slice(2));
const selected = (label) => labels.length === 0 || labels.includes(label);

if (!process.env.TOA_INTEGRATION_NO_BUILD) rebuildExtensionIfStale();
const testFiles = (await buildIntegrationTests()).sort();

const runDir = mkdtempSync(join(tmpdir(), 'toa-integration-'));
process.on('exit', () => {
  if (process.env.TOA_KEEP_TEST_DIR) console.log(`[integration] kept ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
});

const vsix = join(runDir, 'toa-studio.vsix');
if (selected('vsix')) packageVsix(vsix);

/** One fixture copy per configuration, and a file the shim copies the extension host log into. */
function environment(label, env = {}) {
  const workspace = join(runDir, label, 'workspace');
  cpSync(fixture, workspace, { recursive: true });
  return {
    workspaceFolder: workspace,
    env: { HARNESS_HOST_LOG: join(runDir, label, 'host.log'), TOA_TEST_CONFIG: label, ...env },
  };
}

/** Two copies of the fixture as the folders of one workspace, opened through its .code-workspace file. */
function multiRootEnvironment(label) {
  const { workspaceFolder, env } = environment(label);
  const root = dirname(workspaceFolder);
  for (const folder of ['alpha', 'beta']) cpSync(workspaceFolder, join(root, folder), { recursive: true });
  rmSync(workspaceFolder, { recursive: true, force: true });
  const file = join(root, 'multiroot.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }], settings: {} }, null, 2));
  return { workspaceFolder: file, env };
}

const common = (label) => ({
  label,
  // Listed, not a glob, so the files run in name order (activation first).
  files: testFiles.filter((file) => file.includes(`/integration/${label === 'extension' ? 'suite' : label}/`)),
  useInstallation: { fromPath: shim },
  mocha: { ui: 'tdd', timeout: 120_000, slow: 10_000 },
});

export default defineConfig([
  { ...common('extension'), ...environment('extension') },
  { ...common('restricted'), ...environment('restricted', { HARNESS_WORKSPACE_TRUST: 'on' }) },
  // The installed VSIX, not the development folder: the shim puts an empty carrier extension in
  // development mode so VS Code still runs the tests module.
  { ...common('vsix'), ...environment('vsix', { HARNESS_VSIX: vsix }) },
  { ...common('multiroot'), ...multiRootEnvironment('multiroot') },
]);

/** `--label x`, `--label=x`, `-l x` (test-cli's own parser runs later, on the same argv). */
function selectedLabels(argv) {
  const out = [];
  argv.forEach((arg, i) => {
    if (arg === '--label' || arg === '-l') out.push(argv[i + 1]);
    else if (arg.startsWith('--label=')) out.push(arg.slice('--label='.length));
  });
  return out.filter(Boolean);
}

/** dist/extension.js must be newer than every source file it is built from. */
function rebuildExtensionIfStale() {
  const built = join(root, 'dist', 'extension.js');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const newest = Math.max(...['src', 'webview'].map((dir) => newestMtime(join(root, dir))));
  if (builtAt >= newest && existsSync(join(root, 'dist', 'webview.js'))) return;
  console.log('[integration] dist/ is older than src/: npm run build');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** The VSIX users install; flags only so a missing repository field or LICENSE does not prompt. */
function packageVsix(file) {
  console.log('[integration] packaging the VSIX (vsce package --no-dependencies)');
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', file], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
