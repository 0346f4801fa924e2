import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runExtensionTests } from './run-tests';
import { extensionEnvFrom, parseShimArgs, runTimeoutFrom } from './shim-args';

/** Entry of the `vscode-shim` executable; see shim-args.ts for what it reads. */
async function main(): Promise<void> {
  const args = parseShimArgs(process.argv.slice(2), process.cwd());
  const vsix = process.env.HARNESS_VSIX ? resolve(process.env.HARNESS_VSIX) : undefined;
  const hostLog = process.env.HARNESS_HOST_LOG ? resolve(process.env.HARNESS_HOST_LOG) : undefined;
  const extensionEnv = extensionEnvFrom(process.env);
  // The tests may read the log of their own run (e.g. to check that a secret never shows up).
  if (hostLog) extensionEnv.TOA_HOST_LOG = hostLog;
  const code = await runExtensionTests({
    extensionTestsPath: args.extensionTestsPath,
    extensionDevelopmentPath: vsix ? undefined : args.extensionDevelopmentPath,
    installExtensions: vsix ? [vsix] : undefined,
    workspace: args.workspace,
    workspaceTrust: process.env.HARNESS_WORKSPACE_TRUST === 'on',
    extensionEnv,
    keepRunDir: process.env.HARNESS_KEEP_RUN_DIR === '1',
    timeoutMs: runTimeoutFrom(process.env),
    log: (line) => {
      console.log(line);
      if (hostLog) appendFileSync(hostLog, `${line}\n`);
    },
  });
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
