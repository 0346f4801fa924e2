import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { candidates } from '../../../src/core/search/candidates';
import { toa } from '../../../src/core/search/toa';
import { getNode, ROOT } from '../../../src/core/search/tree';
import type { SearchTree } from '../../../src/shared/tree';
import { caseEnv, PROPERTY_RUNS, responsesBelow, responsesOf, searchCase, type SearchCase } from './search-arbitraries';

/**
 * TOA's invariants (toa-algorithm.md) over arbitrary agents, budgets, parameters and rewards.
 * The example-based tests pin each rule on a hand-built tree; these check that whatever the
 * inputs, the tree stays consistent with the plays that built it.
 */

const never = new AbortController().signal;

async function search(c: SearchCase): Promise<{ tree: SearchTree; env: ReturnType<typeof caseEnv> }> {
  const env = caseEnv(c);
  return { tree: await toa(env, never), env };
}

describe('TOA properties', () => {
  test('exactly budget plays, each request answered by one response, the first K from scratch in agent order', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree, env } = await search(c);
        const responses = responsesOf(tree);
        assert.equal(env.requests.length, c.params.budget);
        assert.equal(tree.plays, c.params.budget);
        assert.deepEqual(responses.map((r) => r.play), Array.from({ length: c.params.budget }, (_, i) => i + 1));
        for (const [i, request] of env.requests.slice(0, c.k).entries()) assert.deepEqual(request, { agent: i, mode: 'scratch', sources: [] });
        for (const r of responses) {
          const request = env.requests[r.play! - 1]!;
          const agentNode = getNode(tree, r.parent!);
          assert.equal(request.agent, r.agent);
          assert.equal(request.mode, agentNode.mode);
          assert.deepEqual(request.sources, agentNode.mode === 'refine' ? [getNode(tree, agentNode.parent!).text] : []);
          assert.deepEqual(r.sources, agentNode.mode === 'refine' ? [agentNode.parent] : []);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  test('every response is a candidate once, with its agent, layer, parent and raw reward', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree } = await search(c);
        const kept = candidates(tree);
        assert.equal(kept.length, c.params.budget);
        assert.equal(new Set(kept.map((k) => k.nodeId)).size, kept.length);
        for (const candidate of kept) {
          const node = getNode(tree, candidate.nodeId);
          const agentNode = getNode(tree, node.parent!);
          assert.equal(node.kind, 'response');
          assert.equal(candidate.agent, tree.agents[node.agent!]);
          assert.equal(candidate.reward, node.reward);
          assert.equal(candidate.layer, node.layer);
          assert.equal(candidate.parentResponse, agentNode.mode === 'refine' ? agentNode.parent : null);
        }
        for (let i = 1; i < kept.length; i++) assert.ok(kept[i - 1]!.reward >= kept[i]!.reward, 'best raw reward first');
      }),
      PROPERTY_RUNS,
    );
  });

  test('layers alternate and visits == 1 + values.length on every node', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree } = await search(c);
        for (const node of tree.nodes) {
          assert.equal(node.visits, 1 + node.values.length, `node ${node.id}`);
          if (node.parent === null) continue;
          const parent = getNode(tree, node.parent);
          assert.equal(node.layer, parent.layer + 1);
          assert.equal(node.kind, node.layer % 2 === 1 ? 'agent' : 'response');
          if (node.kind === 'response') assert.equal(node.agent, parent.agent);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  test('each node holds the values of the plays backed up through it (after the stats a scratch node copied)', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree } = await search(c);
        const root = getNode(tree, ROOT);
        assert.equal(root.values.length, c.params.budget);
        for (const node of tree.nodes) {
          const below = responsesBelow(tree, node.id).map((r) => r.own);
          const copied = node.values.slice(0, node.values.length - below.length);
          assert.deepEqual(node.values.slice(copied.length), below, `node ${node.id}`);
          const copiesRoot = node.kind === 'agent' && node.mode === 'scratch' && node.parent !== ROOT;
          if (!copiesRoot) assert.deepEqual(copied, [], `node ${node.id} copied nothing`);
          else assert.deepEqual(copied, getNode(tree, root.children[node.agent!]!).values.slice(0, copied.length), `node ${node.id}: a prefix of the root's agent node`);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  test('the tree is plain data, and the same seed gives the same tree', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(60), async (c) => {
        const { tree } = await search(c);
        assert.deepEqual(JSON.parse(JSON.stringify(tree)), tree);
        assert.deepEqual((await search(c)).tree, tree);
      }),
      PROPERTY_RUNS,
    );
  });

  test('a failed call ends the search with its error, after exactly the plays before it', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(60), fc.nat(), async (c, at) => {
        const index = at % c.params.budget;
        const error = new Error(`call ${index} failed`);
        const env = caseEnv(c, { failAt: { index, error } });
        await assert.rejects(toa(env, never), (e) => e === error);
        assert.equal(env.requests.length, index + 1);
        assert.equal(env.plays.length, index);
      }),
      PROPERTY_RUNS,
    );
  });

  test('with width above the budget no layer fills: every answer is from scratch at the root', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(60), async (c) => {
        const { tree } = await search({ ...c, params: { ...c.params, width: Math.max(c.k, c.params.budget) } });
        assert.ok(responsesOf(tree).every((r) => r.layer === 2));
      }),
      PROPERTY_RUNS,
    );
  });

  test('with width below K (unclamped), every play still finds an agent node to expand', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(60), fc.nat(), async (c, w) => {
        const width = 1 + (w % c.k);
        const { tree, env } = await search({ ...c, params: { ...c.params, width } });
        assert.equal(tree.plays, c.params.budget);
        assert.equal(env.requests.length, c.params.budget);
      }),
      PROPERTY_RUNS,
    );
  });
});
