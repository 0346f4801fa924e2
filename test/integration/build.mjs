// Compiles the integration tests (test/integration/**/*.test.ts) to out/integration/, one CJS
// bundle per test file, for the mocha runner @vscode/test-cli starts inside VS Code's
// extension host. `vscode` stays external (the host provides it); mocha's globals (suite, test,
// ...) come from the runner. .vscode-test.mjs calls this at load time; it also runs alone:
// `node test/integration/build.mjs`.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outDir = join(root, 'out', 'integration');

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'workspace' || entry.name.startsWith('workspace-') ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Builds every test file; resolves with the output paths. */
export async function buildIntegrationTests() {
  rmSync(outDir, { recursive: true, force: true });
  const entryPoints = testFiles(here);
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    outbase: here,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    // As scripts/build.mjs: tests that import the extension's modules bundle the core, and
    // jsonc-parser's UMD main cannot be bundled.
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    absWorkingDir: root,
  });
  return entryPoints.map((file) => join(outDir, relative(here, file).replace(/\.ts$/, '.js')));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildIntegrationTests();
  console.log(`built ${files.length} integration test file(s) into ${relative(root, outDir)}/`);
}
