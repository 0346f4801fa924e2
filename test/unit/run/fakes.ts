import { CallError, type ChatAgent, type Completion, type Spent } from '../../../src/core/agents/types';
import type { ChatMessage, PromptRow } from '../../../src/core/chat';
import { parseConfig } from '../../../src/core/config/load';
import type { ToaConfig } from '../../../src/core/config/schema';
import { RewardError, type RewardInput, type RewardModel } from '../../../src/core/rewards/types';
import type { RunOptions } from '../../../src/core/run/types';
import { hashString } from '../../../src/core/util/random';
import type { RunEvent } from '../../../src/shared/events';
import type { StrategyName } from '../../../src/shared/tree';

export interface ConfigOptions {
  agents?: string[];
  strategy?: StrategyName;
  budget?: number;
  concurrency?: number;
  seed?: number;
}

export function makeConfig(o: ConfigOptions = {}): ToaConfig {
  return parseConfig({
    agents: (o.agents ?? ['alpha', 'beta', 'gamma']).map((name) => ({ name, baseURL: 'http://127.0.0.1:9/v1', model: `${name}-model` })),
    reward: { type: 'reference', check: 'math' },
    search: { strategy: o.strategy ?? 'toa', budget: o.budget ?? 6, seed: o.seed ?? 7 },
    run: { concurrency: o.concurrency ?? 4 },
  });
}

export function makeRows(n: number, text = (i: number) => `Question ${i}: what is ${i} + ${i}?`): PromptRow[] {
  return Array.from({ length: n }, (_, i) => ({ id: `p${i}`, messages: [{ role: 'user', content: text(i) }] }));
}

/** One model call as the fake saw it. */
export interface CallRecord {
  agent: string;
  messages: ChatMessage[];
  completion?: Completion;
  error?: string;
}

export interface WorldOptions {
  /** Milliseconds a call takes; default 0-3 ms, varying by call. */
  delay?(agent: string, call: number): number;
  /** Throw a CallError for this call (after `attempts` tries). */
  fails?(agent: string, messages: ChatMessage[]): boolean;
  /** What a failed call's attempts cost anyway (CallError.spent); none by default. */
  spentOnFailure?: Spent;
  /** Attempts a successful call reports (retries = attempts - 1). */
  attempts?(agent: string, call: number): number;
  /** Make the reward model fail on this response (after `rewardAttempts` tries). */
  rewardFails?(response: string): boolean;
  /** Attempts a reward call reports (retries = attempts - 1); default 1. */
  rewardAttempts?(response: string): number;
  /** The reward of a response; by default a hash of it, 0 to 9.99. */
  rewardOf?(response: string): number;
}

/**
 * Fake agents and reward model with no HTTP. Responses and rewards are pure functions of
 * (agent, messages, n-th identical request), so a prompt's tree does not depend on scheduling.
 * Counts model calls in flight across all agents, and reward calls in flight.
 */
export class FakeWorld {
  inFlight = 0;
  maxInFlight = 0;
  scoring = 0;
  maxScoring = 0;
  readonly calls: CallRecord[] = [];
  readonly scored: RewardInput[] = [];
  private readonly repeats = new Map<string, number>();

  constructor(private readonly opts: WorldOptions = {}) {}

  agents(config: ToaConfig): ChatAgent[] {
    return config.agents.map((a) => ({ name: a.name, complete: (messages, signal) => this.complete(a.name, messages, signal) }));
  }

  readonly reward: RewardModel = {
    name: 'fake-reward',
    score: async (input, signal) => {
      this.maxScoring = Math.max(this.maxScoring, ++this.scoring);
      try {
        await sleep(1, signal);
        const attempts = this.opts.rewardAttempts?.(input.response) ?? 1;
        if (this.opts.rewardFails?.(input.response)) throw new RewardError('reward fake-reward: 503 unavailable', 'fake-reward', { attempts });
        this.scored.push(input);
        return { reward: this.opts.rewardOf?.(input.response) ?? (hashString(input.response) % 1000) / 100, attempts };
      } finally {
        this.scoring--;
      }
    },
  };

  private async complete(agent: string, messages: ChatMessage[], signal: AbortSignal): Promise<Completion> {
    const key = `${agent}|${JSON.stringify(messages)}`;
    const n = (this.repeats.get(key) ?? 0) + 1;
    this.repeats.set(key, n);
    const record: CallRecord = { agent, messages };
    this.calls.push(record);
    const call = this.calls.length;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(this.opts.delay?.(agent, call) ?? hashString(key + n) % 4, signal);
      if (this.opts.fails?.(agent, messages)) throw new CallError(`agent "${agent}": 500 simulated outage`, agent, { attempts: 3, status: 500, spent: this.opts.spentOnFailure });
    } catch (error) {
      record.error = (error as Error).message;
      throw error;
    } finally {
      this.inFlight--;
    }
    const words = messages.reduce((sum, m) => sum + m.content.split(/\s+/).length, 0);
    record.completion = {
      text: `${agent} answer ${hashString(key).toString(16)}.${n}`,
      promptTokens: words,
      completionTokens: 3 + (n % 5),
      latencyMs: 10 + ((hashString(key) + n) % 7),
      costUsd: words * 1e-6,
      attempts: this.opts.attempts?.(agent, call) ?? 1,
    };
    return record.completion;
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Run options over a fake world, collecting events. */
export function runOptions(world: FakeWorld, config: ToaConfig, rows: RunOptions['rows'], extra: Partial<RunOptions> = {}): RunOptions & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return {
    config,
    rows,
    agents: world.agents(config),
    reward: world.reward,
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
    events,
    ...extra,
  };
}
