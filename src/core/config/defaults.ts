import type { RewardConfig, SearchConfig, TaskKind, ToaConfig } from './schema';
import { count } from '../../shared/plural';
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
  const params: SearchParams = {
    strategy: search.strategy as StrategyName,
    budget: search.budget,
    tau: search.tau ?? defaultTau(task, reward, notes),
    alpha: search.alpha ?? d.alpha,
    width,
    topk: search.topk,
    seed: search.seed,
    agent,
    moaLayers: search.moaLayers ?? d.moaLayers,
  };
  // width and tau steer TOA's search alone, the layers MoA alone: each strategy is told of its own.
  return { params, notes: params.strategy === 'toa' ? notes : params.strategy === 'moa' ? moaNotes(params, k) : [] };
}

/**
 * The notes for the strategies a run (the config's) or a comparison (several) will search with,
 * each strategy's own: a comparison of TOA and MoA hears of TOA's width and of MoA's layers.
 */
export function searchNotes(config: ToaConfig, strategies: readonly string[] = [config.search.strategy]): string[] {
  return strategies.flatMap((strategy) => resolveConfigSearch({ ...config, search: { ...config.search, strategy } }).notes);
}

/**
 * MoA makes K plays per layer and K * L per repeat. A smaller budget runs one repeat cut short,
 * as the reference's loop does (search/baselines-chained.ts, moa): fewer layers than asked, the last of them
 * perhaps with only the first agents. The answer then never went through L layers: say so.
 */
function moaNotes(params: SearchParams, k: number): string[] {
  const layers = Math.max(1, params.moaLayers);
  if (k === 0 || params.budget >= k * layers) return [];
  const partial = params.budget % k;
  const last = partial === 0 ? '' : `, the last with ${partial} of the ${k} agents`;
  return [
    `search.budget: ${params.budget} is too small for MoA's ${count(layers, 'layer')} with ${count(k, 'agent')} (${k * layers} plays): it runs 1 repeat of ${count(Math.ceil(params.budget / k), 'layer')}${last}`,
  ];
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
