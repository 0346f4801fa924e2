import type { SearchParams } from '../config/defaults';
import { resolveConfigSearch } from '../config/defaults';
import { runConcurrencyOf } from '../config/schema';
import { resolveTemplates, type TaskTemplates } from '../templates';
import { systemClock, type Clock } from '../util/clock';
import { Semaphore } from '../util/semaphore';
import type { StrategyName } from '../../shared/tree';
import { configHash } from './config-hash';
import { RunReporter } from './events';
import { Rejections } from './request-refused';
import { SavingTracker } from './saving';
import type { RunStop } from './run-stop';
import { RunStats } from './stats';
import { FirstRewards, type RewardJudge } from './first-rewards';
import { flatRewardWarning } from './flat-rewards';
import { tauScaleWarning } from './tau-check';
import type { RunOptions } from './types';

/** Everything a run's parts share, built once per run. */
export interface RunContext {
  options: RunOptions;
  strategy: StrategyName;
  params: SearchParams;
  agentNames: string[];
  templates: TaskTemplates;
  /**
   * Model calls in flight across prompts (`run.concurrency`), served by play priority rather
   * than arrival (see playPriority), so prompts tend to finish, and reach the outputs, in order.
   */
  gate: Semaphore;
  /** Reward calls in flight, bounded the same way but apart: scoring never holds a model slot. */
  rewardGate: Semaphore;
  /** Set by the row feed once the input has no more rows: the gate then balances the tail. */
  inputDone: boolean;
  stats: RunStats;
  reporter: RunReporter;
  /** The prompts whose outputs are being written: a cancelled run waits for them. */
  saving: SavingTracker;
  /** Judges the run's first rewards: can they rank answers at all, and (TOA) under tau? */
  firstRewards: FirstRewards;
  /** Keys, accounts and models the endpoints turned away (see Rejections). */
  rejections: Rejections;
  clock: Clock;
  runId: string;
  configHash: string;
  /** Halts the run for an error it cannot go on from (see RunStop). */
  stop: RunStop;
  /** The caller's signal, or the run's own stop (a fatal error ends the run like a cancel). */
  signal: AbortSignal;
}

/** Checks what the run was given and builds the context; throws before anything is sent. */
export function createRunContext(options: RunOptions, stop: RunStop): RunContext {
  const { config } = options;
  const agentNames = config.agents.map((a) => a.name);
  const given = options.agents.map((a) => a.name);
  if (given.join('\n') !== agentNames.join('\n')) {
    throw new Error(`the run's agents (${given.join(', ')}) must match config.agents in order (${agentNames.join(', ')})`);
  }
  const strategy = options.strategy ?? (config.search.strategy as StrategyName);
  const params = { ...resolveConfigSearch(config).params, strategy };
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const hash = configHash(config);
  const stats = new RunStats(agentNames, startedAt, options.reward.name);
  const reporter = new RunReporter(options.onEvent, stats, clock);
  return {
    options,
    strategy,
    params,
    agentNames,
    templates: resolveTemplates(config.task.kind, config.task.templates),
    gate: new Semaphore(runConcurrencyOf(config), 'run.concurrency'),
    rewardGate: new Semaphore(runConcurrencyOf(config), 'run.concurrency'),
    inputDone: false,
    stats,
    reporter,
    saving: new SavingTracker(reporter),
    firstRewards: new FirstRewards(rewardJudges(config, strategy, params.tau), (warning) => reporter.emit({ type: 'run-warning', ...warning })),
    rejections: new Rejections(),
    clock,
    runId: options.runId ?? runIdOf(hash, startedAt),
    configHash: hash,
    stop,
    signal: AbortSignal.any([options.signal, stop.signal]),
  };
}

/** Only TOA turns rewards into values, so only a TOA run checks their scale against tau. */
function rewardJudges(config: RunOptions['config'], strategy: StrategyName, tau: number): RewardJudge[] {
  const flat: RewardJudge = (rewards) => flatRewardWarning(rewards, config.reward);
  return strategy === 'toa' ? [flat, (rewards) => tauScaleWarning(rewards, tau)] : [flat];
}

/** A run's id: its config hash and start time (epoch ms), e.g. `3f9a1c2e-mkx1a2b3`. */
export function newRunId(config: RunOptions['config'], startedAt: number): string {
  return runIdOf(configHash(config), startedAt);
}

function runIdOf(hash: string, startedAt: number): string {
  return `${hash.slice(0, 8)}-${startedAt.toString(36)}`;
}
