import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_REJECTED, RejectedSearches, type StateStore } from '../../../src/extension/rejected-searches';

/** Workspace state as VS Code keeps it: values go through JSON. */
function memoryState(): StateStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: <T>(key: string) => (raw.has(key) ? (JSON.parse(raw.get(key)!) as T) : undefined),
    update: async (key, value) => void raw.set(key, JSON.stringify(value)),
  };
}

test('a rejected search is known after a window reload (a new instance over the same state), and only that search', async () => {
  const state = memoryState();
  await new RejectedSearches(state).add({ runId: 'run-a', promptId: 'line-2' });
  const reloaded = new RejectedSearches(state);
  assert.equal(reloaded.has({ runId: 'run-a', promptId: 'line-2' }), true);
  assert.equal(reloaded.has({ runId: 'run-b', promptId: 'line-2' }), false, 'the same prompt searched again is another search');
  assert.equal(reloaded.has({ runId: 'run-a', promptId: 'line-3' }), false);
});

test('the record is bounded: the oldest rejections go first, one rejected again counts as new', async () => {
  const state = memoryState();
  const rejected = new RejectedSearches(state);
  for (let i = 0; i < MAX_REJECTED; i++) await rejected.add({ runId: 'r', promptId: `p${i}` });
  await rejected.add({ runId: 'r', promptId: 'p0' });
  await rejected.add({ runId: 'r', promptId: 'extra' });
  const reloaded = new RejectedSearches(state);
  assert.equal(reloaded.has({ runId: 'r', promptId: 'p0' }), true);
  assert.equal(reloaded.has({ runId: 'r', promptId: 'p1' }), false, 'the oldest one left');
  assert.equal(reloaded.has({ runId: 'r', promptId: 'extra' }), true);
  assert.equal((JSON.parse(state.raw.get('toaStudio.rejectedSearches')!) as unknown[]).length, MAX_REJECTED);
});

test('state that is not a list of keys (another version wrote it) is ignored, not thrown on', () => {
  const state = memoryState();
  state.raw.set('toaStudio.rejectedSearches', JSON.stringify({ not: 'a list' }));
  assert.equal(new RejectedSearches(state).has({ runId: 'r', promptId: 'p' }), false);
});

test('a rejection removed (the search accepted after all) is gone after a reload too; the others stay', async () => {
  const state = memoryState();
  const rejected = new RejectedSearches(state);
  await rejected.add({ runId: 'r', promptId: 'p1' });
  await rejected.add({ runId: 'r', promptId: 'p2' });
  await rejected.remove({ runId: 'r', promptId: 'p1' });
  const reloaded = new RejectedSearches(state);
  assert.equal(reloaded.has({ runId: 'r', promptId: 'p1' }), false);
  assert.equal(reloaded.has({ runId: 'r', promptId: 'p2' }), true);
});
