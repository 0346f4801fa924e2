export { runPrompts } from './scheduler';
export { compareStrategies, type CompareOptions } from './compare';
export { configHash } from './config-hash';
export { newRunId } from './context';
export { retryEvent, STATS_INTERVAL_MS } from './events';
export { LATENCY_SAMPLE } from './stats';
export { OutputError, promptSeed } from './prompt';
export { EndpointDownError } from './endpoint-down';
export type { RunOptions, RunSummary, TreeInfo } from './types';
