export { runPrompts } from './scheduler';
export { compareStrategies, comparedRunId } from './compare';
export { configHash } from './config-hash';
export { newRunId } from './context';
export { OutputError } from './prompt';
export { retryEvent } from './events';
export type { RunSummary, TreeInfo } from './types';
export { RetryLines } from './retry-lines';
export { checkEndpoints, checkLine, type EndpointCheck } from './check-endpoints';
