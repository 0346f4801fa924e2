import { bestAnswer, candidates, runPrompts, type StrategyName } from '../src/core';
import { startSim } from '../src/sim';
import { promptRows } from './prompts';
import { runParts, simConfig } from './setup';
import { maxListenerWarningCount, quietMaxListenerWarnings } from './warnings';

/** One unit of the quality benchmark: one strategy at several budgets for one seed. */
export interface QualityJob {
  seed: number;
  strategy: StrategyName;
  budgets: number[];
  prompts: number;
}

/** Per prompt (in row order) at one budget. */
export interface QualityCell {
  budget: number;
  /** True quality of the answer the run selects (best raw reward). */
  selected: number[];
  /** Raw reward of that answer. */
  reward: number[];
  /** Best true quality among all the responses generated (what a perfect reward model would pick). */
  oracle: number[];
  plays: number;
  /** Prompt plus completion tokens over all prompts, as the sim counts them. */
  tokens: number;
  elapsedMs: number;
}

export interface QualityJobResult {
  job: QualityJob;
  cells: QualityCell[];
  warnings: number;
}

/**
 * Runs a job against a fresh in-process sim per budget (seeded with the job's seed, latency 0),
 * so a result depends only on (seed, strategy, budget), not on what ran before it. The true
 * quality comes from `SimServer.trueQuality`, the function behind GET /sim/quality.
 */
export async function runQualityJob(job: QualityJob): Promise<QualityJobResult> {
  const cells: QualityCell[] = [];
  const warningsBefore = maxListenerWarningCount();
  const rows = promptRows(job.prompts);
  const index = new Map(rows.map((row, i) => [row.id, i]));
  for (const budget of job.budgets) {
    const sim = await startSim({ seed: job.seed });
    try {
      // Streaming changes nothing the sim decides (same text either way); plain replies cost less CPU.
      const config = simConfig(sim.url, { strategy: job.strategy, budget, seed: job.seed, stream: false, maxConcurrency: 32 });
      const cell: QualityCell = { budget, selected: [], reward: [], oracle: [], plays: 0, tokens: 0, elapsedMs: 0 };
      const truth = (text: string): number => {
        const q = sim.trueQuality(text);
        if (q === undefined) throw new Error('the sim does not know a response it wrote');
        return q;
      };
      const started = performance.now();
      const summary = await runPrompts({
        config,
        rows,
        ...runParts(config),
        signal: new AbortController().signal,
        onEvent: () => undefined,
        onTree: async (tree, row) => {
          const best = bestAnswer(tree)!;
          const i = index.get(row.id)!;
          cell.selected[i] = truth(best.text);
          cell.reward[i] = best.reward;
          cell.oracle[i] = Math.max(...candidates(tree).map((c) => truth(c.text)));
        },
      });
      cell.elapsedMs = performance.now() - started;
      cell.plays = summary.totals.plays;
      cell.tokens = summary.totals.promptTokens + summary.totals.completionTokens;
      if (summary.totals.done !== rows.length) throw new Error(`${job.strategy} @ ${budget}: ${summary.totals.failed} prompts failed`);
      cells.push(cell);
    } finally {
      await sim.close();
    }
  }
  return { job, cells, warnings: maxListenerWarningCount() - warningsBefore };
}

// As a forked worker: take jobs over IPC until disconnected.
if (process.send && process.argv.includes('--quality-worker')) {
  quietMaxListenerWarnings();
  process.on('message', (job: QualityJob) => {
    runQualityJob(job).then(
      (result) => process.send?.({ type: 'result', result }),
      (error: unknown) => process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.send({ type: 'ready' });
}
