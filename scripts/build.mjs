// Builds the bundles from one script: the extension host (node/cjs, `vscode` external), the CLI
// (node/cjs), and the webview (browser/iife); then writes the JSON Schema the editor uses for
// toa.config.json. Flags: --watch, --production, --bench (the benchmarks alone, see below).
import * as esbuild from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --only=webview builds just dist/webview.js (+ CSS, codicons): the panel's tests need no more.
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };
// ESM entry points first: jsonc-parser's UMD main requires its own files at run time, which a
// bundle cannot satisfy.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

/** Entry points that exist; later issues add the extension and webview. */
const targets = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
];

async function writeSchema() {
  // The schema module is TypeScript; bundle it to a temporary CJS file and require it.
  const out = join(root, 'dist', 'schema-gen.cjs');
  await esbuild.build({ ...node, entryPoints: ['src/core/config/json-schema.ts'], outfile: out, sourcemap: false });
  const require = createRequire(import.meta.url);
  const { configJsonSchema } = require(out);
  await mkdir(join(root, 'schemas'), { recursive: true });
  await writeFile(join(root, 'schemas', 'toa-config.schema.json'), JSON.stringify(configJsonSchema(), null, 2) + '\n');
}

/** The panel's icon font: codicon.css and its font file, served from dist/ like the bundle. */
async function copyCodicons() {
  const { copyFile } = await import('node:fs/promises');
  const from = join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = join(root, 'dist', 'codicons');
  await mkdir(to, { recursive: true });
  await Promise.all(['codicon.css', 'codicon.ttf'].map((f) => copyFile(join(from, f), join(to, f))));
}

const { existsSync } = await import('node:fs');
// The benchmarks, built as the CLI is (no tsx, whose keepNames adds work to every closure), so
// they time the code the product ships: `npm run bench` runs out/bench/run.js. See bench/paths.ts.
if (process.argv.includes('--bench')) {
  await esbuild.build({ ...node, entryPoints: ['bench/run.ts', 'bench/sim-child.ts', 'bench/quality-worker.ts'], outdir: 'out/bench' });
  process.exit(0);
}

const present = targets.filter((t) => existsSync(join(root, t.entryPoints[0])) && (!only || t.outfile === `dist/${only}.js`));
if (present.some((t) => t.outfile === 'dist/webview.js')) await copyCodicons();
if (watch) {
  for (const t of present) await (await esbuild.context(t)).watch();
  console.log('watching', present.map((t) => t.outfile).join(', '));
} else {
  await Promise.all(present.map((t) => esbuild.build(t)));
  if (!only) await writeSchema();
  console.log('built', present.map((t) => t.outfile).join(', '), only ? '' : '+ schemas/toa-config.schema.json');
}
