import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runStrategy, strategies } from '../../../src/core/search/index';
import { getNode, ROOT } from '../../../src/core/search/tree';
import { STRATEGIES, type SearchTree, type StrategyName, type TreeNode } from '../../../src/shared/tree';
import { fakeEnv, type FakeOptions, type RecordingEnv } from './fake-env';

const run = async (name: StrategyName, options: FakeOptions = {}): Promise<{ tree: SearchTree; env: RecordingEnv }> => {
  const env = fakeEnv({ ...options, params: { strategy: name, ...options.params } });
  return { tree: await runStrategy(name, env, new AbortController().signal), env };
};

const responses = (tree: SearchTree): TreeNode[] => tree.nodes.filter((n) => n.kind === 'response');
const agentNodeOf = (tree: SearchTree, response: TreeNode): TreeNode => getNode(tree, response.parent!);

describe('every strategy', () => {
  test('has an entry in `strategies`', () => {
    assert.deepEqual(Object.keys(strategies).sort(), [...STRATEGIES].sort());
  });

  for (const name of STRATEGIES) {
    test(`${name}: exactly budget plays, every response kept, numbered in node order`, async () => {
      for (const budget of [1, 2, 5, 7, 11, 13]) {
        const { tree, env } = await run(name, { params: { budget, moaLayers: 3 }, jitterMs: 2 });
        const kept = responses(tree);
        assert.equal(env.requests.length, budget, `${name} at ${budget}: calls`);
        assert.equal(tree.plays, budget);
        assert.deepEqual(kept.map((r) => r.play), Array.from({ length: budget }, (_, i) => i + 1), `${name} at ${budget}: plays`);
        assert.deepEqual(kept.map((r) => r.text).sort(), env.plays.map((p) => getNode(tree, p.nodeId).text).sort());
        assert.equal(getNode(tree, ROOT).values.length, budget, 'every value backed up to the root');
      }
    });

    test(`${name}: same seed, same tree, however the calls interleave`, async () => {
      const first = (await run(name, { jitterMs: 4 })).tree;
      const second = (await run(name, { jitterMs: 4 })).tree;
      assert.deepEqual(second, first);
      const otherSeed = (await run(name, { params: { seed: 8 } })).tree;
      assert.notDeepEqual(otherSeed.nodes.map((n) => n.reward), first.nodes.map((n) => n.reward));
    });

    test(`${name}: the tree survives a JSON round trip`, async () => {
      const { tree } = await run(name);
      assert.deepEqual(JSON.parse(JSON.stringify(tree)), tree);
    });

    test(`${name}: node-added and play-done events rebuild the final tree`, async () => {
      const { tree, env } = await run(name, { jitterMs: 2 });
      const rebuilt: TreeNode[] = [];
      for (const node of env.nodes) {
        assert.equal(node.id, rebuilt.length, 'ids in creation order');
        rebuilt.push(structuredClone(node));
        if (node.parent !== null) rebuilt[node.parent]!.children.push(node.id);
      }
      for (const play of env.plays) {
        for (const id of play.path) {
          rebuilt[id]!.visits += 1;
          rebuilt[id]!.values.push(play.value);
        }
      }
      assert.deepEqual(rebuilt, tree.nodes);
    });

    test(`${name}: abort stops the search promptly with the signal's reason`, async () => {
      const env = fakeEnv({ params: { strategy: name, budget: 60 }, jitterMs: 5 });
      const controller = new AbortController();
      const reason = new Error('user cancelled');
      const onPlay = env.onPlay!;
      env.onPlay = (info) => {
        onPlay(info);
        if (info.play === 3) controller.abort(reason);
      };
      const started = Date.now();
      await assert.rejects(runStrategy(name, env, controller.signal), (error) => error === reason);
      assert.ok(Date.now() - started < 2000);
      const callsAtAbort = env.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(env.requests.length, callsAtAbort, 'no call starts after the abort');
      assert.equal(env.plays.length, 3, 'nothing is recorded after the abort');
    });

    test(`${name}: an aborted signal makes no call`, async () => {
      const env = fakeEnv({ params: { strategy: name } });
      const controller = new AbortController();
      controller.abort(new Error('already'));
      await assert.rejects(runStrategy(name, env, controller.signal), /already/);
      assert.equal(env.requests.length, 0);
    });

    test(`${name}: abort wins over a client that answers anyway`, async () => {
      const controller = new AbortController();
      const reason = new Error('stop now');
      const env = fakeEnv({ params: { strategy: name }, ignoreAbort: true, onCall: (i) => i === 2 && controller.abort(reason) });
      await assert.rejects(runStrategy(name, env, controller.signal), (error) => error === reason);
      assert.ok(env.plays.length <= 2, `recorded ${env.plays.length} plays after the abort`);
    });

    test(`${name}: a failed play ends the prompt with that error`, async () => {
      const error = new Error('agent beta: retries spent');
      const env = fakeEnv({ params: { strategy: name }, jitterMs: 3, failAt: { index: 4, error } });
      await assert.rejects(runStrategy(name, env, new AbortController().signal), (e) => e === error);
    });
  }
});

describe('baselines', () => {
  test('best-of-n: params.agent answers from scratch, all under one agent node', async () => {
    const { tree, env } = await run('best-of-n', { params: { budget: 9, agent: 2 } });
    assert.ok(env.requests.every((r) => r.agent === 2 && r.mode === 'scratch'));
    assert.deepEqual(new Set(responses(tree).map((r) => r.parent)), new Set([getNode(tree, ROOT).children[0]]));
    assert.ok(env.maxInFlight > 1, 'independent plays run concurrently');
  });

  test('a failed play stops the plays still in flight', async () => {
    const error = new Error('agent gamma: retries spent');
    const env = fakeEnv({ params: { strategy: 'ensemble', budget: 12 }, jitterMs: 5, failAt: { index: 0, error } });
    await assert.rejects(runStrategy('ensemble', env, new AbortController().signal), (e) => e === error);
    assert.ok(env.abortedCalls > 0, 'the other calls saw their signal abort');
  });

  test('best-of-n and prs reject an agent index that is not configured', async () => {
    for (const name of ['best-of-n', 'prs'] as const) {
      await assert.rejects(run(name, { params: { agent: -1 } }), /search\.agent/);
    }
  });

  test('prs: floor(N/2) from scratch, then the rest all refine the best of those', async () => {
    const { tree, env } = await run('prs', { params: { budget: 9, agent: 0 } });
    const drafts = responses(tree).slice(0, 4);
    const best = drafts.reduce((a, b) => (b.reward! > a.reward! ? b : a));
    assert.ok(drafts.every((d) => agentNodeOf(tree, d).mode === 'scratch'));
    for (const r of responses(tree).slice(4)) {
      assert.deepEqual([agentNodeOf(tree, r).mode, agentNodeOf(tree, r).parent, r.sources], ['refine', best.id, [best.id]]);
    }
    assert.ok(env.requests.slice(4).every((q) => q.mode === 'refine' && q.sources[0] === best.text));
  });

  test('prs: the best draft is the first of equal rewards', async () => {
    const drafts = [0.5, 0.7, 0.7];
    const { tree } = await run('prs', { params: { budget: 6 }, reward: (_, index) => drafts[index] ?? 0 });
    const refined = responses(tree).slice(3).map((r) => r.sources);
    assert.deepEqual(new Set(refined.map((s) => s?.join())), new Set([String(responses(tree)[1]!.id)]));
  });

  test('prs: a budget of one is a single answer from scratch', async () => {
    const { env } = await run('prs', { params: { budget: 1 } });
    assert.deepEqual(env.requests.map((r) => r.mode), ['scratch']);
  });

  test('ensemble: agents dealt round-robin, the first ones get the remainder', async () => {
    const { tree } = await run('ensemble', { params: { budget: 11 } });
    const perAgent = [0, 1, 2].map((a) => responses(tree).filter((r) => r.agent === a).length);
    assert.deepEqual(perAgent, [4, 4, 3]);
    assert.ok(responses(tree).every((r) => agentNodeOf(tree, r).mode === 'scratch' && agentNodeOf(tree, r).parent === ROOT));
  });

  test('sequential: each round is a refinement chain over a shuffled agent order', async () => {
    const { tree, env } = await run('sequential', { params: { budget: 11 } });
    const chainStarts = responses(tree).filter((r) => agentNodeOf(tree, r).parent === ROOT);
    assert.equal(chainStarts.length, 4, 'ceil(11 / 3) rounds');
    const orders = chainStarts.map((start) => {
      const order = [start.agent!];
      for (let at = start; ; ) {
        const next = responses(tree).find((r) => r.sources?.[0] === at.id);
        if (!next) return order;
        assert.equal(agentNodeOf(tree, next).mode, 'refine');
        assert.equal(agentNodeOf(tree, next).parent, at.id);
        assert.equal(env.requestOf.get(next.text!)?.sources[0], at.text, 'refines the previous answer of its round');
        order.push(next.agent!);
        at = next;
      }
    });
    assert.deepEqual(orders.map((o) => o.length), [3, 3, 3, 2]);
    for (const order of orders) assert.equal(new Set(order).size, order.length, 'each agent at most once per round');
    assert.ok(new Set(orders.map((o) => o.join())).size > 1, 'orders are shuffled');
  });

  test('moa: layer 0 from scratch, later layers aggregate the whole layer before', async () => {
    const { tree, env } = await run('moa', { params: { budget: 14, moaLayers: 2 } });
    const kept = responses(tree);
    const modes = kept.map((r) => agentNodeOf(tree, r).mode);
    assert.deepEqual(modes, ['scratch', 'scratch', 'scratch', 'aggregate', 'aggregate', 'aggregate', 'scratch', 'scratch', 'scratch', 'aggregate', 'aggregate', 'aggregate', 'scratch', 'scratch']);
    assert.deepEqual(kept.map((r) => r.agent), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]);
    for (const [i, r] of kept.entries()) {
      if (modes[i] !== 'aggregate') continue;
      const layerBefore = kept.slice(i - r.agent! - 3, i - r.agent!);
      assert.deepEqual(r.sources, layerBefore.map((s) => s.id));
      assert.deepEqual(env.requestOf.get(r.text!)?.sources, layerBefore.map((s) => s.text));
      assert.equal(agentNodeOf(tree, r).parent, ROOT);
    }
  });
});
