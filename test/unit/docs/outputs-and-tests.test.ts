import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceRow } from '../../../src/core/dataset/records';
import { createTree } from '../../../src/core/search/tree';
import { codeSpans, section, tables } from './markdown';
import { readme, repoFile } from './repo-files';

/** The README's trace row description and its Tests section against the code and package.json. */

test('the README names every field of a trace row', () => {
  const outputs = section(readme(), '### Outputs');
  const bullet = /^- \*\*Traces\*\*[\s\S]*?(?=\n- |\n\n)/m.exec(outputs)?.[0];
  assert.ok(bullet, 'a "- **Traces**" item in Outputs');
  // Every optional field set, so every field the writer can write is there.
  const row = traceRow(
    createTree('p1', 'toa', ['a'], 1),
    { id: 'p1', messages: [{ role: 'user', content: 'hi' }], reference: 'r' },
    { configHash: 'h', runId: 'run', startedAt: 0, finishedAt: 1 },
    { sft: null, preference: null },
  );
  const named = new Set(codeSpans(bullet));
  assert.deepEqual(Object.keys(row).filter((key) => !named.has(key)), []);
});

test("the Tests table lists the suites npm test runs after building and linting, in order", () => {
  const steps = (JSON.parse(repoFile('package.json')) as { scripts: Record<string, string> }).scripts.test!.split(' && ');
  assert.deepEqual(steps.slice(0, 2), ['npm run build', 'npm run lint'], 'the Tests section says npm test builds and lints first');
  const table = tables(section(readme(), '## Tests')).find((t) => t.header[0] === 'suite' && t.header[1] === 'command');
  assert.ok(table, 'a table headed | suite | command | ... |');
  assert.deepEqual(table.rows.map((row) => codeSpans(row[1]!)[0]), steps.slice(2));
});

test('the Tests section counts the integration configurations of .vscode-test.mjs', () => {
  const labels = [...repoFile('.vscode-test.mjs').matchAll(/common\('(\w+)'\)/g)].map((m) => m[1]);
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
  assert.ok(labels.length > 0);
  assert.match(section(readme(), '## Tests'), new RegExp(`in ${words[labels.length]} configurations`));
});
