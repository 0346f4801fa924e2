import type { RunWarning } from '../../shared/events';
import type { RewardConfig } from '../config/schema';

/**
 * A reward model that gives every answer the same score ranks none above another: TOA's values
 * all tie and every strategy's pick is the first answer, while the run spends its whole budget.
 * It is nearly always a setup fault, not the answers' quality: a math check whose references are
 * another field, or that finds no final answer in the agents' style; a scorer read at the wrong
 * JSON path or class; a command that prints a constant. Said once, from the run's first rewards
 * (see FirstRewards), with where to look for this reward type.
 */
export function flatRewardWarning(rewards: readonly number[], reward: RewardConfig): RunWarning | undefined {
  const first = rewards[0];
  if (first === undefined || rewards.some((r) => r !== first)) return undefined;
  // Every answer right: nothing to rank, and nothing wrong with the setup.
  if (reward.type === 'reference' && first >= 1) return undefined;
  const message = `every one of the first ${rewards.length} answers got the same reward, ${first}, from reward.type "${reward.type}": it tells no answer from another, so the search picks blindly. ${whereToLook(reward)}`;
  return { code: 'flat-reward', message };
}

function whereToLook(reward: RewardConfig): string {
  switch (reward.type) {
    case 'reference':
      return reward.check === 'math'
        ? "No answer's final answer matched its row's reference: check that input.referenceField names the rows' reference answers, and that the agents end their answers with a final answer the math check finds (after \"####\", in \\boxed{}, or after \"The answer is\")."
        : 'Check that input.referenceField names the rows\' reference translations.';
    case 'vllm':
      return 'Check reward.endpoint, reward.model, and for a model with several classes (or values per row) reward.classIndex.';
    case 'http':
      return 'Check reward.bodyTemplate (does it send the response?) and reward.scorePath against a reply of reward.url.';
    case 'judge':
      return "Check reward.template (does it show the judge the response?) and the judge's replies in the trace output.";
    case 'command':
      return "Check reward.command: does it read the response from the JSON on its stdin, and print that answer's score?";
  }
}
