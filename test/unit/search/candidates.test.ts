import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestAnswer, candidates } from '../../../src/core/search/candidates';
import { addNode, createTree, ROOT } from '../../../src/core/search/tree';
import type { SearchTree } from '../../../src/shared/tree';

/** root -> a0 (scratch) -> r2, r3; r2 -> refine by a1 -> r5; root -> a1 (aggregate) -> r7. */
function sample(): SearchTree {
  const tree = createTree('p', 'toa', ['alpha', 'beta'], 4);
  const response = (parent: number, agent: number, reward: number, play: number, sources: number[]) =>
    addNode(tree, parent, { kind: 'response', agent, text: `t${play}`, reward, own: reward, play, sources });
  const a0 = addNode(tree, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  const r2 = response(a0.id, 0, 0.5, 1, []);
  response(a0.id, 0, 0.9, 2, []);
  const refine = addNode(tree, r2.id, { kind: 'agent', agent: 1, mode: 'refine' });
  response(refine.id, 1, 0.9, 3, [r2.id]);
  const aggregate = addNode(tree, ROOT, { kind: 'agent', agent: 1, mode: 'aggregate' });
  response(aggregate.id, 1, 0.1, 4, [2, 3]);
  return tree;
}

test('candidates: every response, best raw reward first, ties by play', () => {
  const list = candidates(sample());
  assert.deepEqual(list.map((c) => [c.nodeId, c.reward, c.play]), [[3, 0.9, 2], [5, 0.9, 3], [2, 0.5, 1], [7, 0.1, 4]]);
  assert.deepEqual(list[1], { nodeId: 5, agent: 'beta', text: 't3', reward: 0.9, layer: 4, parentResponse: 2, sources: [2], play: 3 });
});

test('candidates: only a refinement names the response it refined', () => {
  const byId = new Map(candidates(sample()).map((c) => [c.nodeId, c.parentResponse]));
  assert.deepEqual([byId.get(2), byId.get(5), byId.get(7)], [null, 2, null]);
  const aggregate = candidates(sample()).find((c) => c.nodeId === 7)!;
  assert.deepEqual(aggregate.sources, [2, 3], 'a MoA aggregate names every answer it combined');
});

test('bestAnswer follows the best response', () => {
  const tree = sample();
  assert.equal(bestAnswer(tree)?.nodeId, 3);
  tree.nodes[5]!.reward = 2;
  assert.equal(bestAnswer(tree)?.nodeId, 5);
});

test('bestAnswer passes blank answers over, as SFT does, unless every answer is blank', () => {
  const tree = sample();
  tree.nodes[3]!.text = ' \n';
  assert.equal(bestAnswer(tree)?.nodeId, 5, 'the best reward is blank: the next best, not blank');
  for (const node of tree.nodes) if (node.kind === 'response') node.text = '';
  assert.equal(bestAnswer(tree)?.nodeId, 3, 'all blank: the best of them');
});

test('a tree without responses has no best candidate', () => {
  const tree = createTree('p', 'toa', ['alpha'], 4);
  assert.equal(bestAnswer(tree), undefined);
});
