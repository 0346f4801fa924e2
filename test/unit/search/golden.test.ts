import { join } from 'node:path';
import { test } from 'node:test';
import { runStrategy } from '../../../src/core/search/index';
import { STRATEGIES } from '../../../src/shared/tree';
import { fakeEnv } from './fake-env';
import { renderTree } from './render';
import { assertGolden } from '../golden-file';

/**
 * Golden trees: every strategy at a fixed seed (K = 3, budget 20, which no strategy's unit
 * divides), with jittered calls. `UPDATE_GOLDEN=1` rewrites the files; by default they compare.
 */
const GOLDEN_DIR = join(import.meta.dirname, 'golden');

for (const name of STRATEGIES) {
  test(`golden tree: ${name}`, async () => {
    const env = fakeEnv({ params: { strategy: name }, jitterMs: 3 });
    const rendered = renderTree(await runStrategy(name, env, new AbortController().signal));
    assertGolden(join(GOLDEN_DIR, `${name}.json`), rendered);
  });
}
