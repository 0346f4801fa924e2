import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeCache } from '../../../src/extension/change-cache';

/** A cache over counted reads of `files`, with watches the test fires by hand. */
function watched(files: Map<string, string>): { cache: ChangeCache<string>; reads: string[]; change(key: string): void; watching(): string[] } {
  const reads: string[] = [];
  const watches = new Map<string, () => void>();
  const cache = new ChangeCache<string>(
    async (key) => {
      reads.push(key);
      const text = files.get(key);
      if (text === undefined) throw new Error(`${key}: cannot parse`);
      return text;
    },
    (key, changed) => {
      watches.set(key, changed);
      return { dispose: () => watches.delete(key) };
    },
  );
  return { cache, reads, change: (key) => watches.get(key)?.(), watching: () => [...watches.keys()] };
}

test('reads a key once however often it is asked, and again once its watch says it changed', async () => {
  const files = new Map([['a/toa.config.json', 'v1'], ['b/toa.config.json', 'other']]);
  const { cache, reads, change } = watched(files);
  for (let i = 0; i < 5; i++) assert.equal(await cache.get('a/toa.config.json'), 'v1');
  assert.equal(await cache.get('b/toa.config.json'), 'other');
  assert.deepEqual(reads, ['a/toa.config.json', 'b/toa.config.json'], 'one read per key');
  files.set('a/toa.config.json', 'v2');
  change('a/toa.config.json');
  assert.equal(await cache.get('a/toa.config.json'), 'v2');
  assert.equal(await cache.get('a/toa.config.json'), 'v2');
  assert.equal(await cache.get('b/toa.config.json'), 'other');
  assert.deepEqual(reads, ['a/toa.config.json', 'b/toa.config.json', 'a/toa.config.json'], 'the changed key only, once');
});

test('a change during a read is not lost: the next get reads again', async () => {
  const files = new Map([['toa.config.json', 'v1']]);
  const { cache, reads, change } = watched(files);
  const reading = cache.get('toa.config.json');
  files.set('toa.config.json', 'v2');
  change('toa.config.json');
  assert.equal(await reading, 'v1', 'what was asked before the change');
  assert.equal(await cache.get('toa.config.json'), 'v2');
  assert.equal(reads.length, 2);
});

test('a failed read is kept until the file changes', async () => {
  const files = new Map<string, string>();
  const { cache, reads, change } = watched(files);
  await assert.rejects(cache.get('toa.config.json'), /cannot parse/);
  await assert.rejects(cache.get('toa.config.json'), /cannot parse/);
  assert.equal(reads.length, 1);
  files.set('toa.config.json', 'fixed');
  change('toa.config.json');
  assert.equal(await cache.get('toa.config.json'), 'fixed');
});

test('clear forgets every value and stops every watch', async () => {
  const files = new Map([['a', '1'], ['b', '2']]);
  const { cache, reads, watching } = watched(files);
  await cache.get('a');
  await cache.get('b');
  assert.deepEqual(watching(), ['a', 'b']);
  cache.clear();
  assert.deepEqual(watching(), []);
  await cache.get('a');
  assert.deepEqual(reads, ['a', 'b', 'a']);
  assert.deepEqual(watching(), ['a'], 'watched again from its next read');
});
