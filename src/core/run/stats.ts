import type { AgentStats, RewardStats, RunTotals } from '../../shared/stats';
import type { Completion, Spent } from '../agents/types';
import { seededRandom, type Random } from '../util/random';

/**
 * Latencies kept per agent for the median. Up to this many calls the median is exact; beyond,
 * it is the median of a uniform reservoir sample (seeded, so reruns report the same), which
 * keeps a long run's memory flat.
 */
export const LATENCY_SAMPLE = 2048;

/** Call latencies, for a median over a sample of bounded size. */
class LatencySample {
  private seen = 0;
  private readonly latencies: number[] = [];

  constructor(private readonly random: Random) {}

  add(ms: number): void {
    this.seen++;
    if (this.latencies.length < LATENCY_SAMPLE) {
      this.latencies.push(ms);
      return;
    }
    const slot = Math.floor(this.random.next() * this.seen);
    if (slot < LATENCY_SAMPLE) this.latencies[slot] = ms;
  }

  median(): number {
    if (!this.latencies.length) return 0;
    // A typed array sorts numbers natively; the stats event sorts every sample each time.
    const sorted = Float64Array.from(this.latencies).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
}

class AgentTally {
  calls = 0;
  failures = 0;
  retries = 0;
  cutOff = 0;
  promptTokens = 0;
  completionTokens = 0;
  costUsd = 0;
  rewardSum = 0;
  rewards = 0;
  wins = 0;

  constructor(
    readonly name: string,
    readonly latency: LatencySample,
  ) {}
}

/**
 * What the run has spent and achieved, per agent and in total. Every finished model call counts
 * (its tokens and cost were spent even if its reward call then failed); calls cut short by
 * cancellation are not counted, as they never reported usage. `plays` counts scored responses.
 */
export class RunStats {
  private readonly agents: AgentTally[];
  private readonly totals = { prompts: 0, done: 0, failed: 0, skipped: 0, plays: 0 };
  private readonly reward: Omit<RewardStats, 'medianLatencyMs'>;
  private readonly rewardLatency: LatencySample;

  constructor(
    names: readonly string[],
    private readonly startedAt: number,
    rewardName = 'reward',
  ) {
    this.agents = names.map((name, i) => new AgentTally(name, new LatencySample(seededRandom(i))));
    this.reward = { name: rewardName, calls: 0, failures: 0, retries: 0 };
    this.rewardLatency = new LatencySample(seededRandom(names.length));
  }

  promptSeen(): void {
    this.totals.prompts++;
  }

  promptSkipped(): void {
    this.totals.skipped++;
  }

  promptFailed(): void {
    this.totals.failed++;
  }

  /** A prompt finished; `winners` reached its best answer (several: a tie, see promptWinners), and share its win. */
  promptDone(winners: readonly number[]): void {
    this.totals.done++;
    for (const winner of winners) {
      const tally = this.agents[winner];
      if (tally) tally.wins += 1 / winners.length;
    }
  }

  callDone(agent: number, completion: Completion): void {
    const tally = this.tally(agent);
    tally.calls++;
    tally.retries += Math.max(0, completion.attempts - 1);
    if (completion.cutOff) tally.cutOff++;
    tally.promptTokens += completion.promptTokens;
    tally.completionTokens += completion.completionTokens;
    tally.costUsd += completion.costUsd;
    tally.latency.add(completion.latencyMs);
  }

  /** A call that failed for good after `attempts` tries; what they cost anyway counts (see CallError.spent). */
  callFailed(agent: number, attempts: number, spent?: Spent): void {
    const tally = this.tally(agent);
    tally.calls++;
    tally.failures++;
    tally.retries += Math.max(0, attempts - 1);
    if (!spent) return;
    tally.promptTokens += spent.promptTokens;
    tally.completionTokens += spent.completionTokens;
    tally.costUsd += spent.costUsd;
  }

  /** A reward call that gave a score after `attempts` tries. */
  rewardDone(attempts: number, latencyMs: number): void {
    this.reward.calls++;
    this.reward.retries += Math.max(0, attempts - 1);
    this.rewardLatency.add(latencyMs);
  }

  /** A reward call that failed for good after `attempts` tries. */
  rewardFailed(attempts: number): void {
    this.reward.calls++;
    this.reward.failures++;
    this.reward.retries += Math.max(0, attempts - 1);
  }

  playScored(agent: number, reward: number): void {
    const tally = this.tally(agent);
    tally.rewardSum += reward;
    tally.rewards++;
    this.totals.plays++;
  }

  /** Whether any call to this agent has succeeded in this run. */
  answered(agent: number): boolean {
    const tally = this.tally(agent);
    return tally.calls > tally.failures;
  }

  /** Whether any play has been scored in this run (the reward endpoint has answered). */
  scoredAny(): boolean {
    return this.totals.plays > 0;
  }

  agentStats(): AgentStats[] {
    const done = this.totals.done;
    return this.agents.map((t) => ({
      name: t.name,
      calls: t.calls,
      failures: t.failures,
      retries: t.retries,
      cutOff: t.cutOff,
      promptTokens: t.promptTokens,
      completionTokens: t.completionTokens,
      costUsd: t.costUsd,
      medianLatencyMs: t.latency.median(),
      meanReward: t.rewards ? t.rewardSum / t.rewards : null,
      wins: t.wins,
      winShare: done ? t.wins / done : 0,
    }));
  }

  runTotals(now: number): RunTotals {
    const sum = (pick: (t: AgentTally) => number): number => this.agents.reduce((acc, t) => acc + pick(t), 0);
    return {
      ...this.totals,
      promptTokens: sum((t) => t.promptTokens),
      completionTokens: sum((t) => t.completionTokens),
      costUsd: sum((t) => t.costUsd),
      elapsedMs: now - this.startedAt,
      reward: { ...this.reward, medianLatencyMs: this.rewardLatency.median() },
    };
  }

  private tally(agent: number): AgentTally {
    const tally = this.agents[agent];
    if (!tally) throw new Error(`no agent #${agent}`);
    return tally;
  }
}
