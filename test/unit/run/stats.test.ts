import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPrompts } from '../../../src/core/run/scheduler';
import { LATENCY_SAMPLE, RunStats } from '../../../src/core/run/stats';
import type { SearchTree } from '../../../src/shared/tree';
import { FakeWorld, makeConfig, makeRows, runOptions } from './fakes';

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const median = (values: number[]): number => {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

describe('run stats', () => {
  it('equal the sums over the calls and trees that made them', async () => {
    const rewardAttempts = (response: string): number => 1 + (response.length % 3);
    const world = new FakeWorld({ attempts: (_agent, call) => (call % 3 === 0 ? 2 : 1), rewardAttempts });
    const trees: SearchTree[] = [];
    const options = runOptions(world, makeConfig({ strategy: 'toa', budget: 7, concurrency: 3 }), makeRows(6), { onTree: async (t) => void trees.push(t) });
    const summary = await runPrompts(options);
    const last = options.events.filter((e) => e.type === 'stats').at(-1)!;
    assert.deepEqual(last.type === 'stats' && last.agents, summary.agents);

    for (const stats of summary.agents) {
      const calls = world.calls.filter((c) => c.agent === stats.name).map((c) => c.completion!);
      const responses = trees.flatMap((t) => t.nodes.filter((n) => n.kind === 'response' && t.agents[n.agent!] === stats.name));
      // A win: this agent's answers reach the prompt's best reward; k agents reaching it share it.
      const wins = sum(
        trees.map((t) => {
          const responses = t.nodes.filter((n) => n.kind === 'response');
          const top = Math.max(...responses.map((n) => n.reward!));
          const winners = new Set(responses.filter((n) => n.reward === top).map((n) => t.agents[n.agent!]));
          return winners.has(stats.name) ? 1 / winners.size : 0;
        }),
      );
      assert.equal(stats.calls, calls.length, stats.name);
      assert.equal(stats.failures, 0);
      assert.equal(stats.retries, sum(calls.map((c) => c.attempts - 1)));
      assert.equal(stats.promptTokens, sum(calls.map((c) => c.promptTokens)));
      assert.equal(stats.completionTokens, sum(calls.map((c) => c.completionTokens)));
      assert.ok(Math.abs(stats.costUsd - sum(calls.map((c) => c.costUsd))) < 1e-12);
      assert.equal(stats.medianLatencyMs, median(calls.map((c) => c.latencyMs)));
      assert.ok(Math.abs(stats.meanReward! - sum(responses.map((n) => n.reward!)) / responses.length) < 1e-12);
      assert.equal(stats.wins, wins);
      assert.equal(stats.winShare, wins / 6);
    }
    const t = summary.totals;
    assert.equal(t.plays, 42);
    assert.equal(sum(summary.agents.map((a) => a.calls)), 42);
    assert.ok(Math.abs(sum(summary.agents.map((a) => a.wins)) - 6) < 1e-9);
    assert.equal(t.promptTokens, sum(world.calls.map((c) => c.completion!.promptTokens)));
    assert.equal(t.completionTokens, sum(world.calls.map((c) => c.completion!.completionTokens)));
    assert.deepEqual([t.prompts, t.done, t.failed, t.skipped], [6, 6, 0, 0]);
    assert.ok(t.elapsedMs >= 0);
    const { medianLatencyMs, ...reward } = t.reward!;
    assert.deepEqual(reward, { name: 'fake-reward', calls: 42, failures: 0, retries: sum(world.scored.map((input) => rewardAttempts(input.response) - 1)) });
    assert.ok(medianLatencyMs >= 1, `reward median latency ${medianLatencyMs} ms (the fake sleeps 1 ms)`);
  });

  it('share the win of a prompt whose best reward answers of several agents reach between them', async () => {
    // Every reward 0, as a math check gives with no answer key: no agent did better than another.
    const tied = await runPrompts(runOptions(new FakeWorld({ rewardOf: () => 0 }), makeConfig({ strategy: 'ensemble', budget: 3 }), makeRows(4)));
    assert.deepEqual(tied.agents.map((a) => [a.name, a.wins.toFixed(6), a.winShare.toFixed(6)]), [['alpha', '1.333333', '0.333333'], ['beta', '1.333333', '0.333333'], ['gamma', '1.333333', '0.333333']]);
    // Two of three at the top (a math check both got right): a half each, none for the third.
    const two = await runPrompts(runOptions(new FakeWorld({ rewardOf: (response) => (response.includes('gamma') ? 0 : 1) }), makeConfig({ strategy: 'ensemble', budget: 3 }), makeRows(4)));
    assert.deepEqual(two.agents.map((a) => [a.name, a.wins, a.winShare]), [['alpha', 2, 0.5], ['beta', 2, 0.5], ['gamma', 0, 0]]);
    assert.equal(tied.totals.done, 4);
    // One agent alone at the top wins, however many of its own answers reach it.
    const beta = await runPrompts(runOptions(new FakeWorld({ rewardOf: (response) => (response.includes('beta') ? 1 : 0) }), makeConfig({ strategy: 'ensemble', budget: 6 }), makeRows(4)));
    assert.deepEqual(beta.agents.map((a) => [a.name, a.wins, a.winShare]), [['alpha', 0, 0], ['beta', 4, 1], ['gamma', 0, 0]]);
  });

  it('count a failed call with its retries, and no reward for it', async () => {
    const world = new FakeWorld({ fails: (agent) => agent === 'gamma' });
    const summary = await runPrompts(runOptions(world, makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 }), makeRows(2)));
    const gamma = summary.agents.find((a) => a.name === 'gamma')!;
    assert.deepEqual([gamma.calls, gamma.failures, gamma.retries, gamma.promptTokens, gamma.meanReward], [2, 2, 4, 0, null]);
    assert.deepEqual([summary.totals.failed, summary.totals.done], [2, 0]);
    // At most alpha's and beta's plays: any of them still scoring when gamma's failure stops its
    // prompt is cut (timing), so only the upper bound is fixed.
    assert.ok(summary.totals.plays <= 4, `${summary.totals.plays} plays`);
  });

  it('count what a failed call cost anyway (a reasoning model that used up max_tokens)', async () => {
    const world = new FakeWorld({ fails: (agent) => agent === 'gamma', spentOnFailure: { promptTokens: 9, completionTokens: 32, costUsd: 0.25 } });
    const summary = await runPrompts(runOptions(world, makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 }), makeRows(2)));
    const gamma = summary.agents.find((a) => a.name === 'gamma')!;
    assert.deepEqual([gamma.calls, gamma.failures, gamma.promptTokens, gamma.completionTokens, gamma.costUsd], [2, 2, 18, 64, 0.5]);
  });

  it('keep the median exact up to the sample size, then a uniform reservoir', () => {
    const stats = new RunStats(['a'], 0);
    const call = (latencyMs: number) => ({ text: '', promptTokens: 0, completionTokens: 0, costUsd: 0, attempts: 1, latencyMs });
    for (const ms of [5, 1, 9, 3]) stats.callDone(0, call(ms));
    assert.equal(stats.agentStats()[0]!.medianLatencyMs, 4);
    for (let ms = 0; ms < LATENCY_SAMPLE * 5; ms++) stats.callDone(0, call(ms));
    // A sample that kept only the first or the last calls would sit far from the middle.
    const m = stats.agentStats()[0]!.medianLatencyMs;
    assert.ok(Math.abs(m - LATENCY_SAMPLE * 2.5) < LATENCY_SAMPLE * 0.25, `median ${m}`);
  });
});
