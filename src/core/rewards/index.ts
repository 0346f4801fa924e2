export type { RewardModel } from './types';
export { createReward } from './create';
