import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runStrategy } from '../../../src/core/search/index';
import { STRATEGIES } from '../../../src/shared/tree';
import { fakeEnv } from './fake-env';
import { renderTree } from './render';

/**
 * Golden trees: every strategy at a fixed seed (K = 3, budget 20, which no strategy's unit
 * divides), with jittered calls. `UPDATE_GOLDEN=1` rewrites the files; by default they compare.
 */
const GOLDEN_DIR = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

for (const name of STRATEGIES) {
  test(`golden tree: ${name}`, async () => {
    const env = fakeEnv({ params: { strategy: name }, jitterMs: 3 });
    const rendered = renderTree(await runStrategy(name, env, new AbortController().signal));
    const file = join(GOLDEN_DIR, `${name}.json`);
    if (update) {
      writeFileSync(file, `${JSON.stringify(rendered, null, 2)}\n`);
      return;
    }
    assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 to create it`);
    assert.deepEqual(rendered, JSON.parse(readFileSync(file, 'utf8')));
  });
}
