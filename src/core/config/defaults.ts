import type { RewardConfig, SearchConfig, TaskKind, ToaConfig } from './schema';
import type { StrategyName } from '../../shared/tree';

/** Search parameters with every per-task default filled in (the spec's table). */
export interface SearchParams {
  strategy: StrategyName;
  budget: number;
  tau: number;
  alpha: number;
  width: number;
  topk: number;
  seed: number;
  /** Index of the single agent for best-of-n and prs. */
  agent: number;
  moaLayers: number;
}

const TASK_DEFAULTS: Record<TaskKind, { tau: number; alpha: number; widthDivisor: number; moaLayers: number }> = {
  instruction: { tau: 0.1, alpha: 0.01, widthDivisor: 3, moaLayers: 4 },
  translation: { tau: 1, alpha: 0.05, widthDivisor: 3, moaLayers: 3 },
  math: { tau: 1, alpha: 0.1, widthDivisor: 2, moaLayers: 4 },
};

/** Notes for the user about values we changed (e.g. width clamped to K). */
export interface ResolvedSearch {
  params: SearchParams;
  notes: string[];
}

export function resolveSearch(search: SearchConfig, task: TaskKind, agentNames: string[], reward?: RewardConfig): ResolvedSearch {
  const d = TASK_DEFAULTS[task];
  const k = agentNames.length;
  const notes: string[] = [];
  let width = search.width ?? Math.max(1, Math.floor(search.budget / d.widthDivisor));
  // With width < K a root agent node can count as fully expanded before it was ever tried,
  // leaving selection nowhere to go (see docs: toa-algorithm, edge case).
  if (width < k) {
    notes.push(`search.width: raised from ${width} to ${k} (the number of agents); a smaller width would leave agents untried`);
    width = k;
  }
  const agent = search.agent === undefined ? 0 : agentNames.indexOf(search.agent);
  return {
    params: {
      strategy: search.strategy as StrategyName,
      budget: search.budget,
      tau: search.tau ?? defaultTau(task, reward, notes),
      alpha: search.alpha ?? d.alpha,
      width,
      topk: search.topk,
      seed: search.seed,
      agent,
      moaLayers: search.moaLayers ?? d.moaLayers,
    },
    // width and tau steer TOA's search alone: the baselines have nothing to be told about them.
    notes: search.strategy === 'toa' ? notes : [],
  };
}

export function resolveConfigSearch(config: ToaConfig): ResolvedSearch {
  return resolveSearch(config.search, config.task.kind, config.agents.map((a) => a.name), config.reward);
}

/**
 * The task's tau suits the reward model the authors ran with it (ArmoRM's small scores for
 * instruction following: r / 0.1 stays within about 0..3). A judge scores on its own scale
 * (1-10 by default), where tau 0.1 would put every sigmoid(r / tau) at 1.000 and leave TOA
 * unable to tell answers apart; its score range keeps r / tau within about 0..1 instead.
 */
function defaultTau(task: TaskKind, reward: RewardConfig | undefined, notes: string[]): number {
  if (reward?.type !== 'judge') return TASK_DEFAULTS[task].tau;
  const tau = reward.max - reward.min;
  notes.push(`search.tau: ${tau}, the judge's score range (${reward.min} to ${reward.max}), so that values tell its scores apart; set search.tau to choose another`);
  return tau;
}
