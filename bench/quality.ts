import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { benchEntry } from './paths';
import { markdownTable, textTable, type Column } from '../src/core/util/table';
import { STRATEGIES, type StrategyName } from '../src/core';
import { fixed, whole } from './format';
import type { QualityJob, QualityJobResult } from './quality-worker';
import { ci95, mean, std } from './stats';

export interface QualityOptions {
  seeds: number[];
  prompts: number;
  budgets: number[];
  /** Extra budgets run for TOA only (the 40%-of-160 check). */
  toaExtraBudgets: number[];
  workers: number;
}

export const QUALITY_FULL: QualityOptions = {
  seeds: [1, 2, 3, 4, 5],
  prompts: 20,
  budgets: [10, 20, 40, 80, 160],
  toaExtraBudgets: [64],
  workers: Math.min(availableParallelism(), 4),
};

export const QUALITY_QUICK: QualityOptions = { ...QUALITY_FULL, seeds: [1, 2], prompts: 6, budgets: [10, 20, 40], toaExtraBudgets: [16] };

/** One (strategy, budget) point: statistics over seeds of the per-seed mean over prompts. */
export interface QualityPoint {
  strategy: StrategyName;
  budget: number;
  /** Per seed, in `seeds` order: mean true quality of the selected answers. */
  perSeed: number[];
  mean: number;
  std: number;
  ci95: number;
  meanReward: number;
  /** Mean best true quality among all generated responses (selection with a perfect reward). */
  oracle: number;
  /** CPU-free measure of work: plays per prompt actually made. */
  playsPerPrompt: number;
  /** Prompt plus completion tokens per prompt: compute as the paper counts it (FLOPs follow tokens). */
  tokensPerPrompt: number;
}

interface BudgetVerdict {
  budget: number;
  toa: number;
  bestBaseline: StrategyName;
  baseline: number;
  /** TOA minus the best baseline, per seed: mean and 95% CI half-width. */
  diff: number;
  diffCi95: number;
  met: boolean;
}

export interface QualityResult {
  options: QualityOptions;
  points: QualityPoint[];
  verdicts: BudgetVerdict[];
  /** The best baseline at the largest budget, and its quality there. */
  target: { strategy: StrategyName; budget: number; quality: number };
  /** TOA at 40% of the largest budget (run directly), if that budget was run. */
  toaAtFraction?: { budget: number; quality: number; ci95: number; met: boolean };
  /** Plays TOA needs to reach the target, interpolated on its curve (log budget); undefined if never. */
  toaPlaysToTarget?: number;
  elapsedMs: number;
  warnings: number;
}

const BASELINES = STRATEGIES.filter((s) => s !== 'toa');

export async function qualityBenchmark(options: QualityOptions, log: (line: string) => void): Promise<QualityResult> {
  const started = performance.now();
  const jobs: QualityJob[] = [];
  for (const seed of options.seeds) {
    for (const strategy of STRATEGIES) {
      const budgets = strategy === 'toa' ? [...options.budgets, ...options.toaExtraBudgets].sort((a, b) => a - b) : options.budgets;
      jobs.push({ seed, strategy, budgets, prompts: options.prompts });
    }
  }
  // Longest first (TOA has the extra budgets) so the workers finish together.
  jobs.sort((a, b) => b.budgets.reduce((s, x) => s + x, 0) - a.budgets.reduce((s, x) => s + x, 0));
  const results = await runJobs(jobs, Math.max(1, Math.min(options.workers, jobs.length)), log);
  const points = summarize(results, options);
  const result = judge(points, options);
  return { ...result, elapsedMs: performance.now() - started, warnings: results.reduce((s, r) => s + r.warnings, 0) };
}

/** Runs the jobs on forked workers (quality-worker.ts), each with its own in-process sim. */
async function runJobs(jobs: QualityJob[], workers: number, log: (line: string) => void): Promise<QualityJobResult[]> {
  const queue = [...jobs];
  const results: QualityJobResult[] = [];
  let done = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const entry = benchEntry('quality-worker');
      const child = fork(entry.path, ['--quality-worker'], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const next = (): void => {
        const job = queue.shift();
        if (job) child.send(job);
        else child.disconnect();
      };
      child.on('message', (message: { type: 'ready' } | { type: 'result'; result: QualityJobResult } | { type: 'error'; message: string }) => {
        if (message.type === 'error') {
          child.kill();
          reject(new Error(`quality worker: ${message.message}`));
          return;
        }
        if (message.type === 'result') {
          results.push(message.result);
          done++;
          log(`  quality: ${done}/${jobs.length} jobs (seed ${message.result.job.seed}, ${message.result.job.strategy}) ${message.result.cells.map((c) => c.elapsedMs.toFixed(0)).join(",")}`);
        }
        next();
      });
      child.once('exit', (code) => (code === 0 || code === null ? resolve() : reject(new Error(`quality worker exited with ${code}`))));
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  if (results.length !== jobs.length) throw new Error(`quality: ${results.length} of ${jobs.length} jobs finished`);
  return results;
}

function summarize(results: QualityJobResult[], options: QualityOptions): QualityPoint[] {
  const points: QualityPoint[] = [];
  for (const strategy of STRATEGIES) {
    const budgets = new Set(results.filter((r) => r.job.strategy === strategy).flatMap((r) => r.cells.map((c) => c.budget)));
    for (const budget of [...budgets].sort((a, b) => a - b)) {
      const cells = options.seeds.map((seed) => {
        const job = results.find((r) => r.job.strategy === strategy && r.job.seed === seed);
        const cell = job?.cells.find((c) => c.budget === budget);
        if (!cell) throw new Error(`quality: no result for ${strategy} @ ${budget}, seed ${seed}`);
        return cell;
      });
      const perSeed = cells.map((c) => mean(c.selected));
      points.push({
        strategy,
        budget,
        perSeed,
        mean: mean(perSeed),
        std: std(perSeed),
        ci95: ci95(perSeed),
        meanReward: mean(cells.map((c) => mean(c.reward))),
        oracle: mean(cells.map((c) => mean(c.oracle))),
        playsPerPrompt: mean(cells.map((c) => c.plays / options.prompts)),
        tokensPerPrompt: mean(cells.map((c) => c.tokens / options.prompts)),
      });
    }
  }
  return points;
}

export function point(points: readonly QualityPoint[], strategy: StrategyName, budget: number): QualityPoint | undefined {
  return points.find((p) => p.strategy === strategy && p.budget === budget);
}

function judge(points: QualityPoint[], options: QualityOptions): Omit<QualityResult, 'elapsedMs' | 'warnings'> {
  const verdicts: BudgetVerdict[] = options.budgets.map((budget) => {
    const toa = point(points, 'toa', budget)!;
    const best = BASELINES.map((s) => point(points, s, budget)!).reduce((a, b) => (b.mean > a.mean ? b : a));
    const diffs = toa.perSeed.map((q, i) => q - best.perSeed[i]!);
    return { budget, toa: toa.mean, bestBaseline: best.strategy, baseline: best.mean, diff: mean(diffs), diffCi95: ci95(diffs), met: toa.mean >= best.mean };
  });
  const top = Math.max(...options.budgets);
  const targetPoint = BASELINES.map((s) => point(points, s, top)!).reduce((a, b) => (b.mean > a.mean ? b : a));
  const target = { strategy: targetPoint.strategy, budget: top, quality: targetPoint.mean };
  const fractionBudget = Math.floor(0.4 * top);
  const atFraction = point(points, 'toa', fractionBudget);
  const toaAtFraction = atFraction && { budget: fractionBudget, quality: atFraction.mean, ci95: atFraction.ci95, met: atFraction.mean >= target.quality };
  return { options, points, verdicts, target, toaAtFraction, toaPlaysToTarget: playsToReach(points.filter((p) => p.strategy === 'toa'), target.quality) };
}

/** First budget where the curve reaches `quality`, interpolating linearly in log(budget). */
function playsToReach(curve: QualityPoint[], quality: number): number | undefined {
  const sorted = [...curve].sort((a, b) => a.budget - b.budget);
  for (const [i, p] of sorted.entries()) {
    if (p.mean < quality) continue;
    const before = sorted[i - 1];
    if (!before) return p.budget;
    const f = (quality - before.mean) / (p.mean - before.mean);
    return Math.exp(Math.log(before.budget) + f * (Math.log(p.budget) - Math.log(before.budget)));
  }
  return undefined;
}

/** Strategies as rows, budgets as columns: mean true quality ± 95% CI over seeds. */
export function qualityTable(result: QualityResult, markdown: boolean): string {
  return strategyByBudget(result, markdown, (p) => `${fixed(p.mean, 3)} ± ${fixed(p.ci95, 3)}`);
}

/** Strategies as rows, budgets as columns: mean raw reward of the selected answer (what every strategy's pick maximizes). */
export function rewardTable(result: QualityResult, markdown: boolean): string {
  return strategyByBudget(result, markdown, (p) => fixed(p.meanReward, 4));
}

/** Strategies as rows, budgets as columns: tokens (prompt + completion) per prompt. */
export function tokensTable(result: QualityResult, markdown: boolean): string {
  return strategyByBudget(result, markdown, (p) => whole(p.tokensPerPrompt));
}

/** The strategy with the highest mean selected reward at `budget`. */
export function bestByReward(result: QualityResult, budget: number): QualityPoint {
  return STRATEGIES.map((s) => point(result.points, s, budget)).filter((p): p is QualityPoint => p !== undefined).reduce((a, b) => (b.meanReward > a.meanReward ? b : a));
}

function strategyByBudget(result: QualityResult, markdown: boolean, cell: (p: QualityPoint) => string): string {
  const budgets = [...new Set(result.points.map((p) => p.budget))].sort((a, b) => a - b);
  type Row = { strategy: StrategyName };
  const columns: Column<Row>[] = [
    { header: 'strategy', value: (r) => r.strategy },
    ...budgets.map((budget) => ({
      header: `${budget} plays`,
      align: 'right' as const,
      value: (r: Row) => {
        const p = point(result.points, r.strategy, budget);
        return p ? cell(p) : '-';
      },
    })),
  ];
  const rows = STRATEGIES.map((strategy) => ({ strategy }));
  return markdown ? markdownTable(rows, columns) : textTable(rows, columns);
}

/** Per budget: TOA against the best baseline there. */
export function verdictTable(result: QualityResult, markdown: boolean): string {
  const columns: Column<BudgetVerdict>[] = [
    { header: 'plays', value: (v) => v.budget },
    { header: 'TOA', value: (v) => fixed(v.toa, 3), align: 'right' },
    { header: 'best baseline', value: (v) => v.bestBaseline },
    { header: 'its quality', value: (v) => fixed(v.baseline, 3), align: 'right' },
    { header: 'TOA - baseline (95% CI)', value: (v) => `${v.diff >= 0 ? '+' : ''}${fixed(v.diff, 3)} ± ${fixed(v.diffCi95, 3)}`, align: 'right' },
    { header: 'TOA >= baseline', value: (v) => (v.met ? 'yes' : 'NO') },
  ];
  return markdown ? markdownTable(result.verdicts, columns) : textTable(result.verdicts, columns);
}

/** Selection by the noisy reward vs the best response generated, at the largest budget. */
export function oracleTable(result: QualityResult, markdown: boolean): string {
  const top = Math.max(...result.options.budgets);
  const rows = STRATEGIES.map((s) => point(result.points, s, top)!);
  const columns: Column<QualityPoint>[] = [
    { header: 'strategy', value: (p) => p.strategy },
    { header: `selected (${top} plays)`, value: (p) => fixed(p.mean, 3), align: 'right' },
    { header: 'best generated', value: (p) => fixed(p.oracle, 3), align: 'right' },
    { header: 'mean reward of selected', value: (p) => fixed(p.meanReward, 4), align: 'right' },
    { header: 'seed std', value: (p) => fixed(p.std, 4), align: 'right' },
  ];
  return markdown ? markdownTable(rows, columns) : textTable(rows, columns);
}
