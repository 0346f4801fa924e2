export type { ChatAgent, RetryNotice } from './types';
export { createAgents } from './agent';
