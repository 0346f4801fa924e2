import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStrategies } from '../../../src/core/run/compare';
import { bestAnswer } from '../../../src/core/search/candidates';
import type { RunEvent } from '../../../src/shared/events';
import type { StrategyName } from '../../../src/shared/tree';
import { FakeWorld, makeConfig, makeRows } from './fakes';

describe('compareStrategies', () => {
  it("gives each strategy's run its warning about the shared reward model, every one after the first marked a repeat", async () => {
    // Every answer scores 0 (a flat reward), and FakeWorld's 0-10 scale would saturate tau 0.1 were it not flat.
    const world = new FakeWorld({ rewardOf: () => 0 });
    const config = makeConfig({ budget: 4, concurrency: 3 });
    const events: RunEvent[] = [];
    await compareStrategies({ config, rows: makeRows(3), agents: world.agents(config), reward: world.reward, signal: new AbortController().signal, strategies: ['toa', 'best-of-n', 'moa'], onEvent: (e) => events.push(e) });
    assert.deepEqual(warningsByRun(events), [
      ['toa', [['flat-reward', false]]],
      ['best-of-n', [['flat-reward', true]]],
      ['moa', [['flat-reward', true]]],
    ]);
    assert.equal(events.filter((e) => e.type === 'run-done').length, 3, 'every strategy ran');
  });

  it("gives the tau warning to TOA's run alone, not as a repeat, wherever TOA comes in the comparison", async () => {
    // FakeWorld's rewards vary over 0-10: far too coarse for tau 0.1, and not flat.
    const world = new FakeWorld();
    const config = makeConfig({ budget: 4, concurrency: 3 });
    const events: RunEvent[] = [];
    await compareStrategies({ config, rows: makeRows(3), agents: world.agents(config), reward: world.reward, signal: new AbortController().signal, strategies: ['best-of-n', 'toa', 'moa'], onEvent: (e) => events.push(e) });
    assert.deepEqual(warningsByRun(events), [
      ['best-of-n', []],
      ['toa', [['tau-scale', false]]],
      ['moa', []],
    ]);
  });

  it('runs each strategy over the same prompts at the same budget and summarizes it', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ budget: 5, concurrency: 3 });
    const events: RunEvent[] = [];
    const best = new Map<StrategyName, number[]>();
    const rows = await compareStrategies({
      config,
      rows: makeRows(3),
      agents: world.agents(config),
      reward: world.reward,
      signal: new AbortController().signal,
      strategies: ['toa', 'ensemble'],
      onEvent: (e) => events.push(e),
      onTree: async (tree) => void best.set(tree.strategy, [...(best.get(tree.strategy) ?? []), bestAnswer(tree)!.reward]),
    });
    assert.deepEqual(rows.map((r) => r.strategy), ['toa', 'ensemble']);
    const starts = events.flatMap((e) => (e.type === 'run-start' ? [e.runId] : []));
    assert.equal(starts.length, 2);
    assert.match(starts[0]!, /-toa$/);
    assert.equal(starts[1], starts[0]!.replace(/-toa$/, '-ensemble'), 'one comparison id, a run id per strategy');
    const runDone = events.filter((e) => e.type === 'run-done');
    for (const [i, row] of rows.entries()) {
      const rewards = best.get(row.strategy)!;
      assert.equal(row.prompts, 3);
      assert.equal(row.plays, 15);
      assert.ok(Math.abs(row.meanBestReward! - rewards.reduce((a, b) => a + b, 0) / 3) < 1e-12);
      const totals = runDone[i]!.type === 'run-done' ? runDone[i]!.totals : undefined;
      assert.equal(row.tokens, totals!.promptTokens + totals!.completionTokens);
      assert.equal(row.costUsd, totals!.costUsd);
    }
    assert.equal(world.calls.length, 30);
  });

  it('a strategy that finished no prompt has no mean best reward: null, which JSON keeps (NaN would come back as null)', async () => {
    const world = new FakeWorld({ fails: () => true });
    const config = makeConfig({ budget: 2 });
    const rows = await compareStrategies({ config, rows: makeRows(2), agents: world.agents(config), reward: world.reward, signal: new AbortController().signal, strategies: ['best-of-n'], onEvent: () => undefined });
    assert.deepEqual(rows.map((r) => [r.strategy, r.meanBestReward, r.prompts, r.failed]), [['best-of-n', null, 0, 2]]);
    assert.deepEqual(JSON.parse(JSON.stringify(rows)), rows);
  });

  it('stops at cancellation and leaves out the unfinished strategies', async () => {
    const world = new FakeWorld({ delay: () => 60_000 });
    const config = makeConfig({ budget: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 20);
    const rows = await compareStrategies({ config, rows: makeRows(2), agents: world.agents(config), reward: world.reward, signal: controller.signal, onEvent: () => undefined });
    assert.deepEqual(rows, []);
    assert.equal(world.inFlight, 0);
  });
});

/** Each run's warnings (code, and whether marked a repeat), under the strategy of the run-start before them. */
function warningsByRun(events: readonly RunEvent[]): [StrategyName, [string, boolean][]][] {
  const runs: [StrategyName, [string, boolean][]][] = [];
  for (const e of events) {
    if (e.type === 'run-start') runs.push([e.strategy, []]);
    if (e.type === 'run-warning') runs.at(-1)![1].push([e.code, e.repeat === true]);
  }
  return runs;
}
