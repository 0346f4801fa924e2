import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { anchor, linkTargets } from './markdown';
import { repoFile, repoRoot } from './repo-files';

/** Relative links and images of the README and docs/*.md: the file exists, and so does the heading an anchor names. */

const documents = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function headingAnchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set(prose.split('\n').filter((line) => /^#+ /.test(line)).map(anchor));
}

/** What a link points at, as a path from the repository root, and its anchor if any. */
function resolveLink(document: string, target: string): { file: string; anchor?: string } {
  const [path, hash] = target.split('#') as [string, string | undefined];
  const file = path === '' ? document : relative(repoRoot, join(repoRoot, dirname(document), decodeURIComponent(path)));
  return hash === undefined ? { file } : { file, anchor: hash };
}

test('every relative link and image in README.md and docs/*.md points at a file that exists', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const document of documents) {
    for (const target of linkTargets(repoFile(document))) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
      checked++;
      const { file } = resolveLink(document, target);
      if (file.startsWith('..') || !existsSync(join(repoRoot, file))) broken.push(`${document}: ${target}`);
    }
  }
  assert.ok(checked >= 10, `links found: ${checked}`);
  assert.deepEqual(broken, []);
});

test('every anchor a link names (#section) is a heading of the page it points at', () => {
  const broken: string[] = [];
  for (const document of documents) {
    for (const target of linkTargets(repoFile(document))) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
      const { file, anchor: hash } = resolveLink(document, target);
      if (hash === undefined || !file.endsWith('.md') || !existsSync(join(repoRoot, file))) continue;
      if (!headingAnchors(repoFile(file)).has(hash)) broken.push(`${document}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});
