import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, from test/unit/docs. */
export const repoRoot = join(__dirname, '../../..');

export function repoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export const readme = (): string => repoFile('README.md');
