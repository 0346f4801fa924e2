export { CallError, retrySubject, type ChatAgent, type Completion, type RetryNotice } from './types';
export { createAgent, createAgents, NO_API_KEY, type AgentDeps, type AgentsDeps } from './agent';
export { RateLimiter } from './rate-limit';
export { withSystemPrompt } from './messages';
export { estimateTokens, costUsd } from './usage';
export {
  backoffDelay,
  DEFAULT_BACKOFF,
  FaultError,
  isRetryableStatus,
  retryAfterMs,
  withRetries,
  type Backoff,
  type Fault,
  type RetryOptions,
} from './retry';
export { withDeadline } from './deadline';
