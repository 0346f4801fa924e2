import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvent, applyHostMessage, emptySnapshot, treeIdsOldestFirst } from '../../../src/shared/panel-state';
import type { PanelEvent, PanelSnapshot } from '../../../src/shared/protocol';
import type { SearchTree } from '../../../src/shared/tree';

/** A one-node tree, as Show tree or a finished prompt's event brings it. */
function tree(promptId: string): SearchTree {
  return { promptId, strategy: 'toa', agents: ['a'], budget: 1, plays: 1, nodes: [{ id: 0, parent: null, kind: 'response', layer: 0, text: 'ok', reward: 0.5, children: [], values: [], visits: 1 }] };
}

const start = (s: PanelSnapshot): PanelSnapshot => applyEvent(s, { type: 'run-start', runId: 'r', strategy: 'toa', budget: 1, agents: ['a'] });
const queue = (s: PanelSnapshot, id: string): PanelSnapshot => applyEvent(s, { type: 'prompt-queued', promptId: id, preview: id });
const begin = (s: PanelSnapshot, id: string): PanelSnapshot => applyEvent(s, { type: 'prompt-start', promptId: id });
const finish = (s: PanelSnapshot, id: string, limit: number): PanelSnapshot => applyEvent(s, { type: 'prompt-done', promptId: id, best: { nodeId: 0, reward: 0.5 }, tree: tree(id) } as PanelEvent, { treeLimit: limit });

/** Prompts queued, searched and finished, one after the other. */
function searched(s: PanelSnapshot, ids: string[], limit: number): void {
  for (const id of ids) {
    queue(s, id);
    begin(s, id);
    finish(s, id, limit);
  }
}

test('finished trees beyond the limit go oldest first in the run\'s prompt order, passing over the live ones', () => {
  const s = start(emptySnapshot());
  for (const id of ['a', 'b', 'c', 'd', 'e']) queue(s, id);
  begin(s, 'a'); // a long search: live while the others finish
  for (const id of ['b', 'c', 'd']) {
    begin(s, id);
    finish(s, id, 2);
  }
  assert.deepEqual(treeIdsOldestFirst(s), ['a', 'd'], 'b and c went, oldest first; live a stays');
  begin(s, 'e');
  finish(s, 'a', 2);
  finish(s, 'e', 2);
  assert.deepEqual(treeIdsOldestFirst(s), ['d', 'e'], 'a went once finished: it is the oldest');
});

test("a tree the panel gets again for an old prompt sorts at its prompt's place, so it goes first", () => {
  const s = start(emptySnapshot());
  searched(s, ['a', 'b', 'c'], 2);
  // The webview's copy: tree b was left out of its snapshot, and it asked for it (tree-request).
  const page = JSON.parse(JSON.stringify({ ...s, unsentTrees: ['b'], trees: { c: s.trees.c } })) as PanelSnapshot;
  applyHostMessage(page, { type: 'tree', runId: 'r', promptId: 'b', tree: tree('b') });
  assert.deepEqual(treeIdsOldestFirst(page), ['b', 'c']);
  searched(page, ['d'], 2);
  assert.deepEqual(treeIdsOldestFirst(page), ['c', 'd'], 'b, received last, is the oldest prompt');
});

test('a snapshot that went through JSON (a reload, the webview\'s copy) keeps dropping its oldest trees', () => {
  const s = start(emptySnapshot());
  searched(s, ['30', '20', '10'], 3);
  const copy = JSON.parse(JSON.stringify(s)) as PanelSnapshot;
  searched(copy, ['5'], 3);
  assert.deepEqual(treeIdsOldestFirst(copy), ['20', '10', '5'], 'integer-like ids in run order, not the keys\' numeric order');
  assert.deepEqual(Object.keys(copy.trees).sort(), ['10', '20', '5']);
});

/**
 * The prompts and trees a run's events look at, counted through proxies: the array's elements
 * read, and the trees' own properties looked up (each key an Object.keys lists is one).
 */
function countedRun(prompts: number, limit: number): number {
  let visits = 0;
  const s = start(emptySnapshot());
  s.prompts = new Proxy(s.prompts, { get: (target, key, receiver) => ((typeof key === 'string' && /^\d+$/.test(key) && visits++), Reflect.get(target, key, receiver)) });
  s.trees = new Proxy(s.trees, { getOwnPropertyDescriptor: (target, key) => (visits++, Reflect.getOwnPropertyDescriptor(target, key)) });
  for (let i = 0; i < prompts; i++) {
    const id = `line-${i}`;
    queue(s, id);
    begin(s, id);
    applyEvent(s, { type: 'play-done', promptId: id, play: 1, nodeId: 0, reward: 0.5, value: 0.5, path: [0] });
    finish(s, id, limit);
  }
  assert.equal(Object.keys(s.trees).length, limit);
  return visits;
}

test('a finished prompt costs the same whatever the run\'s length: the trees\' order is kept, not rebuilt over all prompts', () => {
  // Rebuilt per prompt-done, 4,000 prompts made over 8 million visits (n^2 / 2); kept, a few per event.
  const visits = countedRun(4000, 50);
  assert.ok(visits < 20 * 4000, `${visits} prompts and trees looked at for 4,000 prompts`);
  assert.ok(countedRun(16000, 50) < 4.5 * visits, 'four times the prompts, about four times the work');
});
