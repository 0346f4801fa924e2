import type { ChatMessage } from '../chat';
import type { AgentConfig } from '../config/schema';
import { systemClock, type Clock } from '../util/clock';
import type { Random } from '../util/random';
import { Semaphore } from '../util/semaphore';
import { CHAT_USER_AGENT } from '../version';
import { agentRetries } from './agent-retries';
import { NoAnswerError } from './answer';
import { chatOnce, type Reply } from './chat-call';
import { withDeadline } from './deadline';
import { ChatClient } from './faults';
import { withSystemPrompt } from './messages';
import { RateLimiter } from './rate-limit';
import { chatRequest } from './request-body';
import { withRetries } from './retry';
import { CallError, type ChatAgent, type Completion, type RetryNotice, type Spent, type Tokens } from './types';
import { costUsd, tokensOf } from './usage';

/**
 * Sent as the API key when none is configured. Local servers (vLLM, llama.cpp, Ollama) ignore
 * the header, but the SDK refuses an empty key, and without an explicit value it would fall back
 * to OPENAI_API_KEY from the environment and send that key to whatever server is configured.
 */
export const NO_API_KEY = 'no-key-configured';

export interface AgentDeps {
  /** Never logged, never put into error messages. */
  apiKey?: string;
  clock?: Clock;
  /** Jitter for backoff; defaults to a source seeded from the agent's name. */
  random?: Random;
  /** The HTTP client under the SDK; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Where the agent's settings are in the config (`agents[1]`, `reward`), for messages that say what to change. */
  configPath?: string;
  onRetry?(notice: RetryNotice): void;
}

export function createAgent(config: AgentConfig, deps: AgentDeps = {}): ChatAgent {
  const clock = deps.clock ?? systemClock;
  const client = chatClient(config, deps);
  const slots = new Semaphore(config.maxConcurrency);
  const limiter = config.requestsPerMinute === undefined ? undefined : new RateLimiter(config.requestsPerMinute, clock);
  const request = chatRequest(config);
  const retry = agentRetries(config, deps, clock);

  async function complete(input: ChatMessage[], signal: AbortSignal): Promise<Completion> {
    const started = clock.now();
    const messages = withSystemPrompt(input, config.systemPrompt);
    // Attempts that came back without an answer were still generated, and are paid for.
    const wasted: Tokens = { promptTokens: 0, completionTokens: 0 };
    const attempt = (): Promise<Reply> =>
      withDeadline(signal, config.timeoutMs, (s) => chatOnce(client, request, config.thinkTags, messages, config.stream, s)).catch((error: unknown) => {
        if (error instanceof NoAnswerError) addTokens(wasted, tokensOf(error.usage, messages, error.generatedChars));
        throw error;
      });
    const paced = pace(attempt, limiter, signal);
    const { value: reply, attempts } = await slots.run(() => withRetries(paced, { ...retry, signal }), signal).catch((error: unknown) => {
      throw error instanceof CallError && wasted.completionTokens + wasted.promptTokens > 0 ? error.withSpent(priced(config, wasted)) : error;
    });
    const tokens = addTokens(tokensOf(reply.usage, messages, reply.text.length + reply.reasoningChars), wasted);
    return {
      text: reply.text,
      ...tokens,
      latencyMs: clock.now() - started,
      costUsd: costUsd(config.price, tokens.promptTokens, tokens.completionTokens),
      attempts,
      cutOff: reply.cutOff,
    };
  }

  return { name: config.name, complete };
}

function chatClient(config: AgentConfig, deps: AgentDeps): ChatClient {
  return new ChatClient({
    apiKey: deps.apiKey || NO_API_KEY,
    baseURL: config.baseURL,
    // Retries are ours: we report each one and pace them with the injectable clock.
    maxRetries: 0,
    timeout: config.timeoutMs,
    // Explicit nulls keep OPENAI_ORG_ID / OPENAI_PROJECT_ID from leaking to other servers.
    organization: null,
    project: null,
    logLevel: 'off',
    defaultHeaders: { 'User-Agent': CHAT_USER_AGENT },
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

// Without a rate limit, an attempt is the call alone (no extra await per call).
function pace(attempt: () => Promise<Reply>, limiter: RateLimiter | undefined, signal: AbortSignal): () => Promise<Reply> {
  return limiter
    ? async (): Promise<Reply> => {
        await limiter.acquire(signal);
        return attempt();
      }
    : attempt;
}

function priced(config: AgentConfig, tokens: Tokens): Spent {
  return { ...tokens, costUsd: costUsd(config.price, tokens.promptTokens, tokens.completionTokens) };
}

function addTokens(into: Tokens, more: Tokens): Tokens {
  into.promptTokens += more.promptTokens;
  into.completionTokens += more.completionTokens;
  return into;
}

export interface AgentsDeps extends Omit<AgentDeps, 'apiKey' | 'random'> {
  /** The key for one agent (CLI: from its apiKeyEnv; extension: from SecretStorage). */
  apiKeyFor(name: string, config: AgentConfig): string | undefined;
}

/** One agent per config, in config order (`agents[i]` of the config). */
export function createAgents(configs: readonly AgentConfig[], deps: AgentsDeps): ChatAgent[] {
  return configs.map((config, i) =>
    createAgent(config, { apiKey: deps.apiKeyFor(config.name, config), clock: deps.clock, fetch: deps.fetch, onRetry: deps.onRetry, configPath: `agents[${i}]` }),
  );
}
