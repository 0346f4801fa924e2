// Writes the extension's part of package.json (contributes, activationEvents, capabilities) from
// the command and settings tables in src/extension, so ids and defaults are declared once.
// `--check` exits 1 when package.json is stale (test/unit/extension/manifest.test.ts runs it too).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestFields } from '../src/extension/manifest';

const file = join(__dirname, '..', 'package.json');
const current = readFileSync(file, 'utf8');
const next = `${JSON.stringify({ ...JSON.parse(current), ...manifestFields() }, null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('package.json is out of date with src/extension/manifest.ts: run `npm run sync-manifest`');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(file, next);
  console.log('package.json updated');
}
