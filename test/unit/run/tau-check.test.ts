import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/core/config/load';
import { runPrompts } from '../../../src/core/run/scheduler';
import { suggestedTau, tauScaleWarning } from '../../../src/core/run/tau-check';
import type { StrategyName } from '../../../src/shared/tree';
import { FakeWorld, makeConfig, makeRows, runOptions } from './fakes';

/** n rewards spread evenly over [lo, hi]. */
function spread(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

describe('tau scale check', () => {
  it('warns when most rewards saturate sigmoid(r / tau), naming tau, the range and a tau to try', () => {
    // A logit-scale reward model under the instruction task's tau 0.1.
    const warning = tauScaleWarning(spread(32, -6, 6), 0.1);
    assert.ok(warning);
    assert.equal(warning.code, 'tau-scale');
    assert.equal(warning.suggestedTau, 2);
    const message = warning.message;
    assert.match(message, /^search\.tau 0\.1 is small for this reward model's scores \(-6 to 6 in the first 32 plays\)/);
    assert.match(message, /(\d+)% of them give sigmoid\(r \/ tau\) within 0\.001 of 0 or 1/);
    assert.equal(Number(/(\d+)%/.exec(message)![1]), 88, 'all but the four rewards within 0.69 of 0');
    assert.match(message, /Set search\.tau to about 2\.$/);
  });

  it('stays quiet on scales that discriminate: ArmoRM-like, the sim, a 1-10 judge under its range, logits under tau 1', () => {
    assert.equal(tauScaleWarning(spread(32, 0.05, 0.2), 0.1), undefined);
    assert.equal(tauScaleWarning(spread(32, 0, 0.1), 0.1), undefined);
    assert.equal(tauScaleWarning(spread(32, 1, 10), 9), undefined);
    assert.equal(tauScaleWarning(spread(32, -6, 6), 1), undefined);
  });

  it('judges the share of saturated values: just under half is fine, half is not', () => {
    const saturating = (n: number, base: number): number[] => Array.from({ length: n }, (_, i) => base + i);
    const fine = [...saturating(15, 50), ...Array<number>(17).fill(0.5)];
    const bad = [...saturating(16, 50), ...Array<number>(16).fill(0.5)];
    assert.equal(tauScaleWarning(fine, 1), undefined);
    assert.ok(tauScaleWarning(bad, 1));
    assert.ok(tauScaleWarning(saturating(32, -80), 1), 'values stuck at 0 are as blind as values stuck at 1');
  });

  it('says nothing when the saturated rewards were equal anyway, as a 0/1 reference check\'s are', () => {
    const binary = [...Array<number>(20).fill(1), ...Array<number>(12).fill(0)];
    assert.equal(tauScaleWarning(binary, 0.1), undefined, 'values 0.99995 and 0.5 still tell right from wrong');
    assert.equal(tauScaleWarning(Array<number>(32).fill(-50), 1), undefined);
  });

  it('warns when a tau far too large puts most values at 0.5, with a tau to try', () => {
    // The simulator's rewards (0 to 0.1) under a tau written as 1e9 instead of 0.1.
    const warning = tauScaleWarning(spread(32, 0, 0.1), 1e9);
    assert.ok(warning);
    assert.ok(warning.code === 'tau-scale');
    assert.equal(warning.suggestedTau, 0.03);
    assert.equal(
      warning.message,
      "search.tau 1000000000 is large for this reward model's scores (0 to 0.1 in the first 32 plays): 100% of them give sigmoid(r / tau) within 0.001 of 0.5, where TOA cannot tell answers apart. Set search.tau to about 0.03.",
    );
    assert.equal(tauScaleWarning(spread(32, 0, 0.1), 1), undefined, 'values 0.5 to 0.525 still rank: only a tau far too large warns');
    assert.deepEqual(tauScaleWarning(spread(32, -6, 6), 1e6), { code: 'tau-scale', message: tauScaleWarning(spread(32, -6, 6), 1e6)!.message, suggestedTau: 2 });
  });

  it('says nothing when only the low rewards sit at 0.5 and the rest stand out: a probability reward under tau 1 ranks right from wrong', () => {
    // A vLLM classify probability on hard math: wrong answers 0.0003 to 0.003, right ones 0.97 to 0.997.
    const probabilities = [...spread(20, 0.0003, 0.003), ...spread(12, 0.97, 0.997)];
    assert.equal(tauScaleWarning(probabilities, 1), undefined);
    // Near-zero scores and 5s: the suggested tau (2) is larger than tau, which cannot be too large then.
    const mixed = [...spread(17, 0, 0.0032), ...Array<number>(15).fill(5)];
    assert.equal(tauScaleWarning(mixed, 1), undefined);
    assert.ok(tauScaleWarning(probabilities, 1e4), 'under a tau that flattens the right answers too, it warns');
  });

  it('says nothing when the rewards at 0.5 were equal anyway, as a 0/1 check\'s 0s under tau 1 are', () => {
    const binary = [...Array<number>(12).fill(1), ...Array<number>(20).fill(0)];
    assert.equal(tauScaleWarning(binary, 1), undefined);
    assert.ok(tauScaleWarning(binary, 1e9), 'under a tau that also flattens the 1s, right and wrong look alike');
  });

  it('suggests a tau that brings most rewards within |r / tau| <= 3, to one significant figure', () => {
    assert.equal(suggestedTau(spread(32, 0, 1)), 0.3);
    assert.equal(suggestedTau(spread(32, -30, 3)), 9);
    assert.equal(suggestedTau([0, 0, 0]), 1, 'all-zero rewards cannot suggest a scale');
    for (const rewards of [spread(32, -6, 6), spread(32, 0, 1), spread(32, 100, 120), spread(32, -0.001, 0.002)]) {
      assert.equal(tauScaleWarning(rewards, suggestedTau(rewards)), undefined, 'the suggested tau passes the check');
    }
  });
});

describe('tau scale check in a run', () => {
  // FakeWorld scores 0-10: far too coarse for the instruction task's default tau 0.1.
  const warningsOf = async (strategy: StrategyName, tau?: number): Promise<{ types: string[]; warnings: string[] }> => {
    const base = makeConfig({ strategy, budget: 10, concurrency: 4 });
    const config = tau === undefined ? base : parseConfig({ ...base, search: { ...base.search, tau } });
    const options = runOptions(new FakeWorld(), config, makeRows(5));
    await runPrompts(options);
    const warnings = options.events.flatMap((e) => (e.type === 'run-warning' ? [e.message] : []));
    for (const e of options.events) if (e.type === 'run-warning') assert.ok(e.code === 'tau-scale' && e.message.endsWith(`about ${e.suggestedTau}.`), 'the event carries the tau its message names');
    return { types: options.events.map((e) => e.type), warnings };
  };

  it('a TOA run whose rewards saturate says so once, with code tau-scale, before run-done', async () => {
    const { types, warnings } = await warningsOf('toa');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^search\.tau 0\.1 is small/);
    assert.ok(types.indexOf('run-warning') < types.indexOf('run-done'));
  });

  it('stays quiet when tau fits, and for baselines, which never turn rewards into values', async () => {
    assert.deepEqual((await warningsOf('toa', 5)).warnings, []);
    for (const strategy of ['best-of-n', 'moa'] as const) assert.deepEqual((await warningsOf(strategy)).warnings, [], strategy);
  });
});
