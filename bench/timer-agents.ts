import { hashString, systemClock, type ChatAgent, type RewardModel } from '../src/core';

/**
 * In-process stand-ins for the endpoints: every chat call takes `latencyMs` of wall time and no
 * CPU to speak of, every reward is immediate. With these the scheduler is measured alone,
 * without HTTP, JSON or the sim competing for the CPU.
 */
export function timerAgents(names: readonly string[], latencyMs: number): ChatAgent[] {
  let n = 0;
  return names.map((name) => ({
    name,
    async complete(messages, signal) {
      const started = performance.now();
      await systemClock.sleep(latencyMs, signal);
      const text = `answer ${++n} from ${name} to ${messages.length} messages`;
      return { text, promptTokens: 10, completionTokens: 8, latencyMs: performance.now() - started, costUsd: 0, attempts: 1 };
    },
  }));
}

/** A reward that answers at once: a stable number in [0, 0.1) derived from the response. */
export const instantReward: RewardModel = {
  name: 'instant',
  score: async (input) => ({ reward: (hashString(input.response) % 1000) / 10_000, attempts: 1 }),
};
