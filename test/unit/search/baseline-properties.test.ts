import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { candidates } from '../../../src/core/search/candidates';
import { runStrategy } from '../../../src/core/search/index';
import { getNode, ROOT } from '../../../src/core/search/tree';
import type { SearchTree, StrategyName, TreeNode } from '../../../src/shared/tree';
import { caseEnv, PROPERTY_RUNS, responsesOf, searchCase, type SearchCase } from './search-arbitraries';

/**
 * The five baselines (toa-algorithm.md, "Baselines") over arbitrary agents, budgets (most not
 * multiples of K or K*L) and rewards: the budget is spent exactly, every answer is kept, and
 * each strategy's shape holds.
 */

const BASELINES = ['best-of-n', 'prs', 'ensemble', 'sequential', 'moa'] as const satisfies readonly StrategyName[];
const never = new AbortController().signal;

async function search(name: StrategyName, c: SearchCase, rewards = c.rewards): Promise<{ tree: SearchTree; env: ReturnType<typeof caseEnv> }> {
  const env = caseEnv({ ...c, rewards, params: { ...c.params, strategy: name } });
  return { tree: await runStrategy(name, env, never), env };
}

const agentNodeOf = (tree: SearchTree, response: TreeNode): TreeNode => getNode(tree, response.parent!);
const modeOf = (tree: SearchTree, response: TreeNode): string | undefined => agentNodeOf(tree, response).mode;

describe('baseline properties', () => {
  for (const name of BASELINES) {
    test(`${name}: exactly budget plays, every answer a candidate, stats consistent`, async () => {
      await fc.assert(
        fc.asyncProperty(searchCase(), async (c) => {
          const { tree, env } = await search(name, c);
          const responses = responsesOf(tree);
          assert.equal(env.requests.length, c.params.budget);
          assert.equal(tree.plays, c.params.budget);
          assert.deepEqual(responses.map((r) => r.play), Array.from({ length: c.params.budget }, (_, i) => i + 1));
          assert.deepEqual(candidates(tree).map((k) => k.nodeId).sort((a, b) => a - b), responses.map((r) => r.id));
          assert.equal(getNode(tree, ROOT).values.length, c.params.budget);
          for (const node of tree.nodes) assert.equal(node.visits, 1 + node.values.length, `node ${node.id}`);
          for (const r of responses) {
            const agentNode = agentNodeOf(tree, r);
            assert.equal(agentNode.agent, r.agent);
            const request = env.requestOf.get(r.text!)!;
            assert.deepEqual([request.agent, request.mode], [r.agent, agentNode.mode]);
            assert.deepEqual(request.sources, r.sources!.map((id) => getNode(tree, id).text));
            if (agentNode.mode === 'refine') assert.deepEqual(r.sources, [agentNode.parent]);
            else assert.equal(agentNode.parent, ROOT);
          }
          assert.deepEqual(JSON.parse(JSON.stringify(tree)), tree);
        }),
        PROPERTY_RUNS,
      );
    });

    test(`${name}: a failed call ends the search with its error`, async () => {
      await fc.assert(
        fc.asyncProperty(searchCase(60), fc.nat(), async (c, at) => {
          const index = at % c.params.budget;
          const error = new Error(`call ${index} failed`);
          const env = caseEnv({ ...c, params: { ...c.params, strategy: name } }, { failAt: { index, error } });
          await assert.rejects(runStrategy(name, env, never), (e) => e === error);
          assert.ok(env.plays.length < c.params.budget);
        }),
        PROPERTY_RUNS,
      );
    });
  }

  test('best-of-n: every play is the configured agent from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { env } = await search('best-of-n', c);
        assert.ok(env.requests.every((r) => r.agent === c.params.agent && r.mode === 'scratch'));
      }),
      PROPERTY_RUNS,
    );
  });

  test('prs: max(1, floor(N/2)) drafts, then every play refines the first best draft', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree } = await search('prs', c);
        const responses = responsesOf(tree);
        const drafts = Math.max(1, Math.floor(c.params.budget / 2));
        assert.ok(responses.every((r) => r.agent === c.params.agent));
        assert.ok(responses.slice(0, drafts).every((r) => modeOf(tree, r) === 'scratch'));
        const best = responses.slice(0, drafts).reduce((top, r) => (r.reward! > top.reward! ? r : top));
        for (const r of responses.slice(drafts)) assert.deepEqual([modeOf(tree, r), r.sources], ['refine', [best.id]]);
      }),
      PROPERTY_RUNS,
    );
  });

  test('ensemble: every agent from scratch, play counts within one of each other, the first agents ahead', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree } = await search('ensemble', c);
        const responses = responsesOf(tree);
        assert.ok(responses.every((r) => modeOf(tree, r) === 'scratch'));
        const counts = Array.from({ length: c.k }, (_, a) => responses.filter((r) => r.agent === a).length);
        const base = Math.floor(c.params.budget / c.k);
        assert.deepEqual(counts, counts.map((_, a) => base + (a < c.params.budget % c.k ? 1 : 0)));
      }),
      PROPERTY_RUNS,
    );
  });

  test('sequential: rounds of distinct agents chained by refinement, and no reward steers the calls', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 5 }), async (c, otherRewards) => {
        const { tree, env } = await search('sequential', c);
        const starts = responsesOf(tree).filter((r) => modeOf(tree, r) === 'scratch');
        assert.equal(starts.length, Math.ceil(c.params.budget / c.k));
        const lengths = starts.map((start) => {
          const chain = [start];
          for (let next = responsesOf(tree).find((r) => r.sources?.[0] === start.id); next; next = responsesOf(tree).find((r) => r.sources?.[0] === next!.id)) chain.push(next);
          assert.equal(new Set(chain.map((r) => r.agent)).size, chain.length, 'each agent at most once a round');
          return chain.length;
        });
        assert.deepEqual(lengths, starts.map((_, i) => Math.min(c.k, c.params.budget - i * c.k)));
        const other = await search('sequential', c, otherRewards);
        assert.deepEqual(other.env.requests, env.requests, 'other rewards, same calls');
      }),
      PROPERTY_RUNS,
    );
  });

  test('moa: repeats of whole layers; each later layer aggregates the whole layer before it', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        const { tree } = await search('moa', c);
        const responses = responsesOf(tree);
        const perRepeat = c.k * c.params.moaLayers;
        for (const [i, r] of responses.entries()) {
          const inRepeat = i % perRepeat;
          const layer = Math.floor(inRepeat / c.k);
          assert.equal(r.agent, inRepeat % c.k, `play ${r.play}: agents in config order`);
          if (layer === 0) {
            assert.deepEqual([modeOf(tree, r), r.sources], ['scratch', []]);
          } else {
            const before = responses.slice(i - (inRepeat % c.k) - c.k, i - (inRepeat % c.k));
            assert.deepEqual([modeOf(tree, r), r.sources], ['aggregate', before.map((s) => s.id)]);
          }
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
