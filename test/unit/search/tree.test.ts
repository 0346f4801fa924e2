import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addNode, backUp, createTree, mean, pathToRoot, ROOT, sigmoidValue } from '../../../src/core/search/tree';

test('nodes get ids in creation order, layers by depth, and join their parent', () => {
  const tree = createTree('p', 'toa', ['a'], 3);
  const agent = addNode(tree, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  const response = addNode(tree, agent.id, { kind: 'response', agent: 0, own: 0.5 });
  assert.deepEqual([agent.id, agent.layer, response.id, response.layer], [1, 1, 2, 2]);
  assert.deepEqual(tree.nodes[ROOT]!.children, [1]);
  assert.deepEqual([response.visits, response.values], [1, []]);
  assert.deepEqual(pathToRoot(tree, response.id), [2, 1, 0]);
  assert.throws(() => addNode(tree, 9, { kind: 'agent' }), /no node 9/);
});

test('backUp updates the path from a node to the root and returns it', () => {
  const tree = createTree('p', 'toa', ['a'], 3);
  const agent = addNode(tree, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  assert.deepEqual(backUp(tree, agent.id, 0.25), [1, 0]);
  assert.deepEqual(tree.nodes.map((n) => [n.visits, n.values]), [[2, [0.25]], [2, [0.25]]]);
});

test('mean and sigmoid value', () => {
  assert.equal(mean([]), 0);
  assert.equal(mean([0.2, 0.4, 0.9]), 0.5);
  assert.equal(sigmoidValue(0, 0.1), 0.5);
  assert.equal(sigmoidValue(0.1, 0.1), 1 / (1 + Math.exp(-1)));
  assert.equal(sigmoidValue(-1000, 0.1), 0);
});
