import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/core/config/load';
import type { RewardConfig } from '../../../src/core/config/schema';
import { flatRewardWarning } from '../../../src/core/run/flat-rewards';
import { runPrompts } from '../../../src/core/run/scheduler';
import type { StrategyName } from '../../../src/shared/tree';
import { FakeWorld, makeConfig, makeRows, runOptions } from './fakes';

const math = { type: 'reference', check: 'math' } as RewardConfig;
const zeros = Array.from({ length: 32 }, () => 0);

describe('flat reward check', () => {
  it('warns when every reward is the same, naming the value, the reward type and where to look', () => {
    assert.deepEqual(flatRewardWarning(zeros, math), {
      code: 'flat-reward',
      message:
        'every one of the first 32 answers got the same reward, 0, from reward.type "reference": it tells no answer from another, so the search picks blindly. ' +
        "No answer's final answer matched its row's reference: check that input.referenceField names the rows' reference answers, and that the agents end their answers with a final answer the math check finds (after \"####\", in \\boxed{}, or after \"The answer is\").",
    });
    const judge = flatRewardWarning([7, 7, 7], { type: 'judge' } as RewardConfig);
    assert.match(judge!.message, /same reward, 7, from reward\.type "judge".* Check reward\.template/);
    for (const type of ['vllm', 'http', 'command'] as const) assert.match(flatRewardWarning([0.5, 0.5], { type } as RewardConfig)!.message, new RegExp(`"${type}".* Check reward\\.`), type);
  });

  it('says nothing when any two rewards differ, when there are none, or when a reference check found every answer right', () => {
    assert.equal(flatRewardWarning([...zeros, 1], math), undefined);
    assert.equal(flatRewardWarning([0.3, 0.3000001], { type: 'vllm' } as RewardConfig), undefined);
    assert.equal(flatRewardWarning([], math), undefined);
    assert.equal(flatRewardWarning(zeros.map(() => 1), math), undefined, 'all right: nothing to rank, nothing wrong');
    assert.ok(flatRewardWarning(zeros.map(() => 1), { type: 'judge' } as RewardConfig), "a judge's every answer at one score is no verdict");
  });

  const warningsOf = async (strategy: StrategyName, rewardOf: (response: string) => number): Promise<{ codes: string[]; types: string[] }> => {
    const config = parseConfig(makeConfig({ strategy, budget: 10, concurrency: 4 }));
    const options = runOptions(new FakeWorld({ rewardOf }), config, makeRows(5));
    await runPrompts(options);
    return { codes: options.events.flatMap((e) => (e.type === 'run-warning' ? [e.code] : [])), types: options.events.map((e) => e.type) };
  };

  it('a run of any strategy whose reward never varies says so once, before run-done', async () => {
    for (const strategy of ['toa', 'best-of-n', 'sequential'] as const) {
      const { codes, types } = await warningsOf(strategy, () => 0);
      assert.deepEqual(codes, ['flat-reward'], strategy);
      assert.ok(types.indexOf('run-warning') < types.indexOf('run-done'));
    }
  });

  it('a run whose rewards vary, or whose math check found every answer right, says nothing of it', async () => {
    assert.deepEqual((await warningsOf('best-of-n', (response) => response.length % 2)).codes, []);
    assert.deepEqual((await warningsOf('best-of-n', () => 1)).codes, []);
  });
});
