import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordPlay } from '../../../src/core/search/record';
import { bestChild, isFullyExpanded, uct } from '../../../src/core/search/select';
import { selectLeaf, toa } from '../../../src/core/search/toa';
import { addNode, createTree, getNode, ROOT, sigmoidValue } from '../../../src/core/search/tree';
import type { SearchTree, TreeNode } from '../../../src/shared/tree';
import { BASE_PARAMS, fakeEnv } from './fake-env';

/**
 * One focused test per TOA rule (toa-algorithm.md). Each expectation was checked to fail when
 * its rule alone is changed. Hand-built trees keep the numbers small enough to verify by hand.
 */

/** Root with one scratch agent node per agent, as TOA starts. */
function startTree(k: number): SearchTree {
  const tree = createTree('p', 'toa', Array.from({ length: k }, (_, i) => `agent${i}`), 10);
  for (let agent = 0; agent < k; agent++) addNode(tree, ROOT, { kind: 'agent', agent, mode: 'scratch' });
  return tree;
}

function respond(tree: SearchTree, agentNode: number, own: number): TreeNode {
  const agent = getNode(tree, agentNode).agent;
  return addNode(tree, agentNode, { kind: 'response', agent, own, reward: own, text: `text of ${tree.nodes.length}`, play: tree.plays++ + 1, sources: [] });
}

function agentUnder(tree: SearchTree, parent: number, agent: number, mode: 'refine' | 'scratch', values: number[] = []): TreeNode {
  return addNode(tree, parent, { kind: 'agent', agent, mode, visits: 1 + values.length, values });
}

function setStats(node: TreeNode, values: number[]): void {
  node.values = values;
  node.visits = 1 + values.length;
}

describe('TOA: a response met for the first time gets 2K agent children', () => {
  test('K refine children, then K scratch children whose stats are copied from the root', () => {
    const tree = startTree(2);
    const [a0, a1] = [getNode(tree, 1), getNode(tree, 2)];
    const r3 = respond(tree, 1, 0.9);
    respond(tree, 2, 0.2);
    setStats(a0, [0.9]);
    setStats(a1, [0.2, 0.4]);
    const leaf = selectLeaf(tree, { params: { ...BASE_PARAMS, width: 2 } }, 4);

    const children = r3.children.map((id) => getNode(tree, id));
    assert.deepEqual(
      children.map((c) => [c.mode, c.agent, c.visits, c.values]),
      [
        ['refine', 0, 1, []],
        ['refine', 1, 1, []],
        ['scratch', 0, 2, [0.9]],
        ['scratch', 1, 3, [0.2, 0.4]],
      ],
    );
    assert.equal(leaf.id, children[0]!.id, 'the first untried child (refine with agent 0) is expanded');
    a0.values.push(0.5);
    assert.deepEqual(children[2]!.values, [0.9], 'a copy, not the root child`s own list');
  });

  test('they are added once, on the first visit only', async () => {
    const env = fakeEnv({ params: { budget: 40, width: 4 } });
    const tree = await toa(env, new AbortController().signal);
    const responses = tree.nodes.filter((n) => n.kind === 'response');
    assert.ok(responses.some((r) => r.children.length > 0));
    for (const r of responses) assert.equal(r.children.length, r.visits > 1 ? 2 * env.agents.length : 0, `response ${r.id}`);
  });
});

describe('TOA: fully expanded', () => {
  test('root and response nodes always are', () => {
    const tree = startTree(1);
    const r = respond(tree, 1, 0.5);
    assert.equal(isFullyExpanded(tree, getNode(tree, ROOT), 100), true);
    assert.equal(isFullyExpanded(tree, r, 100), true);
  });

  test('width counts the responses of the whole layer, not the node`s own', () => {
    const tree = startTree(2);
    respond(tree, 1, 0.9);
    respond(tree, 2, 0.2);
    assert.equal(isFullyExpanded(tree, getNode(tree, 1), 2), true, 'one own response, two in the layer');
    assert.equal(isFullyExpanded(tree, getNode(tree, 1), 3), false);
  });

  test('width counts only the layer below the agent node', () => {
    const tree = startTree(2);
    const r3 = respond(tree, 1, 0.5);
    const r4 = respond(tree, 2, 0.5);
    const refine3 = agentUnder(tree, r3.id, 0, 'refine');
    respond(tree, refine3.id, 0.9);
    assert.equal(isFullyExpanded(tree, refine3, 2), false, 'three responses in the tree, one in its layer');
    respond(tree, agentUnder(tree, r4.id, 1, 'refine').id, 0.1);
    assert.equal(isFullyExpanded(tree, refine3, 2), true);
  });

  test('under a response, one of its responses must beat the parent`s own (strictly)', () => {
    const tree = startTree(1);
    const r2 = respond(tree, 1, 0.5);
    const refine = agentUnder(tree, r2.id, 0, 'refine');
    const worse = respond(tree, refine.id, 0.4);
    assert.equal(isFullyExpanded(tree, refine, 1), false);
    worse.own = 0.5;
    assert.equal(isFullyExpanded(tree, refine, 1), false, 'equal is not better');
    worse.own = 0.6;
    assert.equal(isFullyExpanded(tree, refine, 1), true);
  });

  test('under the root, no improvement is needed, not even a response of its own', () => {
    const tree = startTree(2);
    respond(tree, 1, 0.01);
    respond(tree, 1, 0.02);
    assert.equal(isFullyExpanded(tree, getNode(tree, 1), 2), true);
    assert.equal(isFullyExpanded(tree, getNode(tree, 2), 2), true, 'the width < K edge case of the spec');
  });

  test('with width below K, an untried root agent node is expanded rather than a dead end', async () => {
    const env = fakeEnv({ params: { budget: 12, width: 1 } });
    const tree = await toa(env, new AbortController().signal);
    const root = getNode(tree, ROOT);
    assert.ok(root.children.every((id) => getNode(tree, id).children.length > 0), 'every agent was tried');
    assert.equal(tree.plays, 12);
  });

  test('selection keeps expanding an agent node that has not improved on its parent', () => {
    const tree = startTree(1);
    const a1 = getNode(tree, 1);
    const r2 = respond(tree, 1, 0.5);
    setStats(a1, [0.5, 0.4]);
    setStats(r2, [0.4]);
    const refine = agentUnder(tree, r2.id, 0, 'refine', [0.4]);
    agentUnder(tree, r2.id, 0, 'scratch', [0.3]);
    const r5 = respond(tree, refine.id, 0.4);
    const params = { ...BASE_PARAMS, width: 1, alpha: 0 };
    assert.equal(selectLeaf(tree, { params }, 3).id, refine.id);
    r5.own = 0.6;
    assert.equal(selectLeaf(tree, { params }, 3).parent, r5.id, 'improved: selection descends into its best response');
  });
});

describe('TOA: best child', () => {
  test('UCT is mean(values) + alpha * sqrt(2 ln t / visits)', () => {
    const node = { id: 1, kind: 'agent', parent: 0, layer: 1, children: [], visits: 3, values: [0.2, 0.6] } as TreeNode;
    assert.equal(uct(node, 10, 0.5), 0.4 + 0.5 * Math.sqrt((2 * Math.log(10)) / 3));
  });

  test('exploration uses the global play number t, not the parent`s visits', () => {
    // The parent response was visited twice, but its scratch children carry copied root stats.
    const tree = startTree(2);
    const r3 = respond(tree, 1, 0.9);
    setStats(r3, [0.6]);
    const a = agentUnder(tree, r3.id, 0, 'scratch', [0.6, 0.6, 0.6]);
    const b = agentUnder(tree, r3.id, 1, 'scratch', [0.56]);
    const params = { alpha: 0.1, topk: 1 };
    assert.equal(bestChild(tree, r3, 40, params), b.id, 'ln 40 favours the less visited child');
    assert.equal(bestChild(tree, r3, r3.visits, params), a.id, 'with ln(parent visits) the other child would win');
  });

  test('a search passes each play its own number t: with ln(t - 1) the fourth play would differ', async () => {
    // One agent, width 1, alpha 1, tau 1; rewards 0, -1.5, -1 make a response R (own 0.5, play 1)
    // whose refine child got 0.182 (play 2) and whose scratch child, holding the root's copied
    // [0.5], got 0.269 (play 3). At play 4, under R (3 visits), the two children score
    //   refine:  0.182 + sqrt(2 ln x / 2)        scratch: 0.385 + sqrt(2 ln x / 3)
    // x = t = 4: 1.360 vs 1.346, refine. x = 3 (t - 1, the plays so far, R's visits): 1.230 vs
    // 1.240, scratch. At the root x = t = its visits, so only a node below it tells them apart.
    const env = fakeEnv({
      agents: [{ name: 'solo', skill: 0.5, gain: 0, noise: 0 }],
      params: { budget: 4, alpha: 1, tau: 1, width: 1 },
      reward: (_request, index) => [0, -1.5, -1, 0][index]!,
    });
    const tree = await toa(env, new AbortController().signal);
    assert.deepEqual(env.requests.map((r) => r.mode), ['scratch', 'refine', 'scratch', 'refine']);
    const fourth = tree.nodes.find((n) => n.play === 4)!;
    assert.deepEqual(fourth.sources, [tree.nodes.find((n) => n.play === 1)!.id], 'play 4 refines R again');
  });

  test('over responses, only the top-k by own compete', () => {
    const tree = startTree(1);
    const [r0, r1, r2] = [respond(tree, 1, 0.3), respond(tree, 1, 0.9), respond(tree, 1, 0.5)];
    setStats(r1, [0.2, 0.2]);
    const agentNode = getNode(tree, 1);
    assert.equal(bestChild(tree, agentNode, 5, { alpha: 0.01, topk: 1 }), r1.id, 'untried r0 and r2 are filtered out');
    assert.equal(bestChild(tree, agentNode, 5, { alpha: 0.01, topk: 2 }), r2.id);
    assert.equal(bestChild(tree, agentNode, 5, { alpha: 0.01, topk: 3 }), r0.id);
  });

  test('the top-k ranks by own (the value), not by the raw reward', () => {
    // Built apart, own and reward disagree: ranked by reward, the first response (reward 5) would
    // be the only contender.
    const tree = startTree(1);
    const add = (own: number, reward: number): TreeNode => addNode(tree, 1, { kind: 'response', agent: 0, own, reward, text: `${own}`, play: tree.plays++ + 1, sources: [] });
    add(0.2, 5);
    const r0 = add(0.9, 0.1);
    add(0.5, 1);
    const agentNode = getNode(tree, 1);
    assert.equal(bestChild(tree, agentNode, 4, { alpha: 0.01, topk: 1 }), r0.id, 'all untried: the one contender wins');
    assert.equal(bestChild(tree, agentNode, 4, { alpha: 0.01, topk: 2 }), r0.id, 'r0 and r2 compete, r0 first');

    // As a search makes them: sigmoid(r / tau) saturates, so rewards 40 and 50 have the same own
    // (1) and the earlier response stays the contender, though the later one has the higher reward.
    const saturated = startTree(1);
    const outcome = (reward: number) => ({ text: `r${reward}`, reward, call: { promptTokens: 1, completionTokens: 1, latencyMs: 0, costUsd: 0, rewardLatencyMs: 0, attempts: 1 } });
    const env = { params: { ...BASE_PARAMS, tau: 0.1 } };
    const first = recordPlay(saturated, env, getNode(saturated, 1), outcome(40), []);
    const second = recordPlay(saturated, env, getNode(saturated, 1), outcome(50), []);
    assert.equal(first.own, second.own);
    assert.equal(bestChild(saturated, getNode(saturated, 1), 3, { alpha: 0.01, topk: 1 }), first.id);
  });

  test('over agent nodes, nothing is filtered', () => {
    const tree = startTree(2);
    setStats(getNode(tree, 1), [0.9, 0.9, 0.9]);
    assert.equal(bestChild(tree, getNode(tree, ROOT), 4, { alpha: 0.01, topk: 1 }), 2);
  });

  test('an untried child (visits 1, no values) scores +Infinity', () => {
    const tree = startTree(2);
    setStats(getNode(tree, 1), [1]);
    assert.equal(uct(getNode(tree, 2), 2, 0.01), Infinity);
    assert.equal(bestChild(tree, getNode(tree, ROOT), 2, { alpha: 0, topk: 1 }), 2);
  });

  test('the mean of values decides, not their max or sum', () => {
    const tree = startTree(2);
    setStats(getNode(tree, 1), [0.9, 0.1]);
    setStats(getNode(tree, 2), [0.6]);
    assert.equal(bestChild(tree, getNode(tree, ROOT), 3, { alpha: 0, topk: 1 }), 2);
  });

  test('ties go to the first child', () => {
    const tree = startTree(3);
    assert.equal(bestChild(tree, getNode(tree, ROOT), 1, { alpha: 0.01, topk: 1 }), 1, 'all untried');
    setStats(getNode(tree, 1), [0.5]);
    setStats(getNode(tree, 2), [0.7]);
    setStats(getNode(tree, 3), [0.7]);
    assert.equal(bestChild(tree, getNode(tree, ROOT), 3, { alpha: 0.01, topk: 1 }), 2, 'equal finite scores');
    const [, second] = [respond(tree, 2, 0.8), respond(tree, 2, 0.9), respond(tree, 2, 0.9)];
    assert.equal(bestChild(tree, getNode(tree, 2), 3, { alpha: 0.01, topk: 1 }), second.id, 'equal own in the top-k filter');
  });
});

describe('TOA: values and back-up', () => {
  test('v = sigmoid(r / tau) drives the choice: tau changes which agent plays next', async () => {
    // Agent 0 always scores 0.1; agent 1 scores 3, then -1. Width keeps every play at the root.
    const nextAgent = async (tau: number): Promise<number> => {
      let agent1Calls = 0;
      const env = fakeEnv({
        agents: [
          { name: 'steady', skill: 0.5, gain: 0, noise: 0 },
          { name: 'erratic', skill: 0.5, gain: 0, noise: 0 },
        ],
        params: { budget: 4, tau, alpha: 0, width: 100 },
        reward: (request) => (request.agent === 0 ? 0.1 : [3, -1][agent1Calls++ % 2]!),
      });
      const tree = await toa(env, new AbortController().signal);
      for (const r of tree.nodes.filter((n) => n.kind === 'response')) assert.equal(r.own, sigmoidValue(r.reward!, tau));
      assert.deepEqual(getNode(tree, ROOT).values, env.plays.map((p) => sigmoidValue(p.reward, tau)));
      return env.requests[3]!.agent;
    };
    assert.equal(await nextAgent(0.1), 0, 'sigmoid saturates: mean(1, 0) < sigmoid(1)');
    assert.equal(await nextAgent(10), 1, 'nearly linear: mean(0.574, 0.475) > 0.5025');
  });

  test('back-up adds v along the path from the expanded agent node to the root, not to the new response', () => {
    const tree = startTree(1);
    const r2 = respond(tree, 1, 0.5);
    const refine = agentUnder(tree, r2.id, 0, 'refine');
    const before = tree.nodes.map((n) => ({ visits: n.visits, values: [...n.values] }));
    const outcome = { text: 'better', reward: 0.2, call: { promptTokens: 1, completionTokens: 1, latencyMs: 0, costUsd: 0, rewardLatencyMs: 0, attempts: 1 } };
    const response = recordPlay(tree, { params: { ...BASE_PARAMS, tau: 0.1 } }, refine, outcome, [r2.id]);
    const v = sigmoidValue(0.2, 0.1);
    assert.equal(response.own, v);
    assert.deepEqual([response.visits, response.values], [1, []]);
    for (const id of [refine.id, r2.id, 1, ROOT]) {
      assert.equal(getNode(tree, id).visits, before[id]!.visits + 1, `visits of ${id}`);
      assert.deepEqual(getNode(tree, id).values, [...before[id]!.values, v], `values of ${id}`);
    }
  });
});
