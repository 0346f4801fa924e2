/**
 * The core's public surface: what the CLI and the extension import. Pure TypeScript on Node;
 * nothing here knows about the editor.
 */
export * from './config';
export * from './dataset';
export * from './run';
export * from './search';
export * from './templates';
export * from './curation';
export type { ChatAgent, RetryNotice } from './agents';
export type { RewardModel } from './rewards';
export { createModels, type RunModels } from './models';
export { promptText, type ChatMessage, type PromptRow } from './chat';
export { systemClock } from './util/clock';
export { errorText } from './util/errors';
export { hashString } from './util/random';
export { unlessCancelled } from './util/unless-cancelled';
export type { SliceOptions } from './util/slices';
export type { RunEvent, RunWarning } from '../shared/events';
export type { RewardStats, RunTotals } from '../shared/stats';
export type { CompareRow } from '../shared/protocol';
export { STRATEGIES, type SearchTree, type StrategyName } from '../shared/tree';
