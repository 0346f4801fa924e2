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
export { createAgent, createAgents, CallError, NO_API_KEY, retrySubject, type AgentDeps, type AgentsDeps, type ChatAgent, type Completion, type RetryNotice } from './agents';
export { createReward, RewardError, type RewardInput, type RewardModel, type Scored } from './rewards';
export { promptText, type ChatMessage, type PromptRow } from './chat';
export { systemClock, type Clock } from './util/clock';
export { hashString, seededRandom, shuffled, type Random } from './util/random';
export type { RunEvent, RunEventType, RunWarning } from '../shared/events';
export type { AgentStats, RewardStats, RunTotals } from '../shared/stats';
export type { CompareRow } from '../shared/protocol';
export { STRATEGIES, type CallStats, type Candidate, type SearchTree, type StrategyName, type TreeNode } from '../shared/tree';
