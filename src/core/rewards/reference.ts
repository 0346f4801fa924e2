import { promptText } from '../chat';
import type { RewardConfig } from '../config/schema';
import { chrf } from './chrf';
import { excerpt } from '../util/excerpt';
import { answersMatch } from './final-answer';
import { RewardError, type RewardInput, type RewardModel } from './types';

export type ReferenceRewardConfig = Extract<RewardConfig, { type: 'reference' }>;

/**
 * Scores against the row's reference answer, with no model at all: `math` gives 1 when the final
 * answers agree and 0 otherwise; `chrf` gives chrF in 0..1 against the reference translation.
 */
export function referenceReward(config: ReferenceRewardConfig): RewardModel {
  const provider = `reference:${config.check}`;
  return {
    name: provider,
    async score(input, signal) {
      signal.throwIfAborted();
      const reference = input.reference;
      if (reference === undefined || !reference.trim()) throw new RewardError(`reward ${provider}: ${rowName(input)} has no reference answer (see input.referenceField)`, provider);
      const reward = config.check === 'math' ? (answersMatch(input.response, reference) ? 1 : 0) : chrf(input.response, reference);
      return { reward, attempts: 1 };
    },
  };
}

function rowName(input: RewardInput): string {
  return input.promptId !== undefined ? `prompt "${input.promptId}"` : `the prompt ${excerpt(promptText(input), 60)}`;
}
