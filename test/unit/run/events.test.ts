import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configHash } from '../../../src/core/run/config-hash';
import { retryEvent, RunReporter, STATS_INTERVAL_MS } from '../../../src/core/run/events';
import { runPrompts } from '../../../src/core/run/scheduler';
import { RunStats } from '../../../src/core/run/stats';
import type { TreeInfo } from '../../../src/core/run/types';
import type { Clock } from '../../../src/core/util/clock';
import type { RunEvent } from '../../../src/shared/events';
import type { SearchTree } from '../../../src/shared/tree';
import { FakeWorld, makeConfig, makeRows, runOptions, sleep } from './fakes';

const never = new AbortController().signal;

describe('run events', () => {
  it('come in order: run-start, then per prompt queued -> start -> nodes and plays -> done, stats, run-done', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'best-of-n', budget: 3, concurrency: 1, agents: ['solo', 'other'] });
    const trees: SearchTree[] = [];
    const options = runOptions(world, config, makeRows(3), { onTree: async (tree) => void trees.push(tree) });
    await runPrompts(options);
    const events = options.events;
    const start = events[0]!;
    assert.equal(start.type, 'run-start');
    assert.deepEqual(start.type === 'run-start' && [start.strategy, start.budget, start.agents], ['best-of-n', 3, ['solo', 'other']]);
    assert.deepEqual(events.slice(-2).map((e) => e.type), ['stats', 'run-done']);

    const flow = events.filter((e) => e.type !== 'stats').slice(1, -1);
    for (const [i, id] of ['p0', 'p1', 'p2'].entries()) {
      const mine = flow.filter((e) => 'promptId' in e && e.promptId === id);
      assert.deepEqual(mine.slice(0, 2).map((e) => e.type), ['prompt-queued', 'prompt-start']);
      const done = mine.at(-1)!;
      assert.equal(done.type, 'prompt-done');
      const body = mine.slice(2, -1);
      assert.ok(body.every((e) => e.type === 'node-added' || e.type === 'play-done'));
      const added = new Set(body.flatMap((e) => (e.type === 'node-added' ? [e.node.id] : [])));
      const plays = body.filter((e) => e.type === 'play-done');
      assert.deepEqual(plays.map((e) => e.type === 'play-done' && e.play), [1, 2, 3]);
      for (const p of plays) assert.ok(p.type === 'play-done' && added.has(p.nodeId), 'a play reports a node already added');
      if (done.type !== 'prompt-done') continue;
      assert.equal(done.tree, trees[i]);
      assert.equal(done.best.reward, Math.max(...done.tree.nodes.flatMap((n) => (n.kind === 'response' ? [n.reward!] : []))));
      assert.equal(done.best.agent, 'solo');
    }
    // With concurrency 1 two prompts are in flight: p2 is pulled only once p0 or p1 is done.
    const index = (type: string, id: string): number => flow.findIndex((e) => e.type === type && 'promptId' in e && e.promptId === id);
    assert.ok(Math.min(index('prompt-done', 'p0'), index('prompt-done', 'p1')) < index('prompt-queued', 'p2'));
  });

  it('prompt-done names as best the best answer that is not blank (the one SFT takes), a blank one only when all are', async () => {
    const bestOf = async (texts: string[]): Promise<string | undefined> => {
      let call = 0;
      const config = makeConfig({ strategy: 'best-of-n', budget: texts.length, concurrency: 1, agents: ['solo'] });
      const solo = { name: 'solo', complete: async () => ({ text: texts[call++]!, promptTokens: 1, completionTokens: 1, latencyMs: 1, costUsd: 0, attempts: 1 }) };
      // The reward model likes the blank answer best (a reward model can).
      const reward = { name: 'r', score: async ({ response }: { response: string }) => ({ reward: response.trim() ? response.length : 100, attempts: 1 }) };
      const options = runOptions(new FakeWorld(), config, makeRows(1), { agents: [solo], reward });
      await runPrompts(options);
      const done = options.events.find((e) => e.type === 'prompt-done');
      return done?.type === 'prompt-done' ? done.best.text : undefined;
    };
    assert.equal(await bestOf(['', 'short', 'longer']), 'longer');
    assert.equal(await bestOf(['', ' ']), '', 'all blank: the best of them, and the prompt is done');
  });

  it('run-start counts rows given as an array, which the prompts queued reach only at the end; a stream is not counted', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'best-of-n', budget: 1, concurrency: 1 });
    const listed = runOptions(world, config, makeRows(5));
    await runPrompts(listed);
    assert.deepEqual(listed.events.filter((e) => e.type === 'run-start').map((e) => e.type === 'run-start' && e.prompts), [5]);
    const streamed = runOptions(world, config, (async function* () { yield* makeRows(5); })());
    await runPrompts(streamed);
    assert.equal(streamed.events.find((e) => e.type === 'run-start' && 'prompts' in e), undefined);
  });

  it('awaits onTree before prompt-done and gives it the run id, config hash and times', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
    const stored = new Set<string>();
    const infos: TreeInfo[] = [];
    const seenAtDone: boolean[] = [];
    const options = runOptions(world, config, makeRows(4), {
      runId: 'run-42',
      onTree: async (tree, _row, info) => {
        await sleep(15, never);
        stored.add(tree.promptId);
        infos.push(info);
      },
      onEvent: (e: RunEvent) => {
        if (e.type === 'prompt-done') seenAtDone.push(stored.has(e.promptId));
        if (e.type === 'run-start') assert.equal(e.runId, 'run-42');
      },
    });
    const summary = await runPrompts(options);
    assert.equal(summary.runId, 'run-42');
    assert.deepEqual(seenAtDone, [true, true, true, true]);
    for (const info of infos) {
      assert.equal(info.runId, 'run-42');
      assert.equal(info.configHash, configHash(config));
      assert.ok(info.startedAt <= info.finishedAt);
    }
  });

  it('throttles stats to one per interval plus the final one', async () => {
    const world = new FakeWorld({ delay: () => 0 });
    const options = runOptions(world, makeConfig({ strategy: 'ensemble', budget: 12, concurrency: 8 }), makeRows(30));
    const started = Date.now();
    await runPrompts(options);
    const elapsed = Date.now() - started;
    const stats = options.events.filter((e) => e.type === 'stats').length;
    assert.ok(stats >= 1 && stats <= Math.ceil(elapsed / STATS_INTERVAL_MS) + 2, `${stats} stats events in ${elapsed} ms`);
    assert.ok(world.calls.length === 360);
  });

  it('maps a retry notice to a call-retry event', () => {
    assert.deepEqual(retryEvent({ agent: 'a', attempt: 2, reason: '429 rate limited', delayMs: 1500 }), {
      type: 'call-retry',
      agent: 'a',
      attempt: 2,
      reason: '429 rate limited',
      delayMs: 1500,
    });
  });
});

describe('RunReporter', () => {
  /** A clock the test moves by hand; sleeps resolve when it passes their deadline. */
  function manualClock(): Clock & { advance(ms: number): Promise<void> } {
    let now = 1000;
    const sleepers: Array<{ until: number; resolve(): void }> = [];
    return {
      now: () => now,
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          sleepers.push({ until: now + ms, resolve });
        }),
      async advance(ms) {
        now += ms;
        for (const s of sleepers.filter((x) => x.until <= now)) s.resolve();
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  it('sends at once, then at most once per interval (trailing), and a final one on finish', async () => {
    const clock = manualClock();
    const sent: number[] = [];
    const reporter = new RunReporter((e) => e.type === 'stats' && sent.push(clock.now()), new RunStats(['a'], clock.now()), clock);
    reporter.statsChanged();
    reporter.statsChanged();
    await clock.advance(100);
    reporter.statsChanged();
    reporter.statsChanged();
    assert.deepEqual(sent, [1000]);
    await clock.advance(149);
    assert.deepEqual(sent, [1000]);
    await clock.advance(1);
    assert.deepEqual(sent, [1000, 1250]);
    reporter.statsChanged();
    await clock.advance(10);
    reporter.finish();
    await clock.advance(1000);
    assert.deepEqual(sent, [1000, 1250, 1260], 'the pending one was replaced by the final one');
  });
});
