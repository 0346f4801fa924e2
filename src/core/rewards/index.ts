export { RewardError, type RewardInput, type RewardModel, type Scored } from './types';
export { createReward, REWARD_KEY_NAME, type RewardDeps } from './create';
export { chrf } from './chrf';
export { answersMatch, extractFinalAnswer, normalizeAnswer } from './final-answer';
export { parseJudgeScore } from './judge-score';
export { formatJsonPath, parseJsonPath, valueAt, type PathStep } from './json-path';
export { fillBody } from './body-template';
