#!/usr/bin/env node
// `npx toa ...` from the repository: runs the bundled CLI (built by `npm run build`, which
// `npm ci` runs through the `prepare` script).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('toa: dist/cli.js is missing; run `npm run build` in the repository first.\n');
  process.exit(2);
}
require(bundle);
