export { retrySubject, type ChatAgent, type RetryNotice } from './types';
export { createAgents } from './agent';
