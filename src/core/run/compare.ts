import type { PromptRow } from '../chat';
import type { RunWarning } from '../../shared/events';
import type { CompareRow } from '../../shared/protocol';
import type { StrategyName } from '../../shared/tree';
import { STRATEGIES } from '../../shared/tree';
import { bestAnswer } from '../search';
import { newRunId } from './context';
import { runPrompts } from './scheduler';
import { systemClock } from '../util/clock';
import type { RunOptions } from './types';

export interface CompareOptions extends Omit<RunOptions, 'rows' | 'strategy' | 'skip'> {
  /** The selected prompts; every strategy runs over all of them. */
  rows: readonly PromptRow[];
  /** Default: every strategy, TOA first. */
  strategies?: readonly StrategyName[];
}

/**
 * Runs each strategy in turn over the same rows at the same budget (config.search.budget) and
 * the same per-prompt seeds, and summarizes each in a CompareRow. Events of every run go to
 * `onEvent` (each run starts with its own run-start). Stops at cancellation: strategies not
 * finished by then are left out of the result.
 */
export async function compareStrategies(options: CompareOptions): Promise<CompareRow[]> {
  const out: CompareRow[] = [];
  // One comparison, one id; each strategy's run is named by it and the strategy, so no two of
  // its runs share an id (two started within the same millisecond would).
  const comparison = options.runId ?? newRunId(options.config, (options.clock ?? systemClock).now());
  const onEvent = markRepeats(options.onEvent);
  for (const strategy of options.strategies ?? STRATEGIES) {
    if (options.signal.aborted) break;
    const best: number[] = [];
    const summary = await runPrompts({
      ...options,
      onEvent,
      runId: comparedRunId(comparison, strategy),
      rows: options.rows,
      strategy,
      onTree: async (tree, row, info) => {
        // A tree reaches onTree only with a best answer (searchPrompt fails the prompt otherwise).
        best.push(bestAnswer(tree)!.reward);
        await options.onTree?.(tree, row, info);
      },
    });
    if (summary.cancelled) break;
    const { totals } = summary;
    out.push({
      strategy,
      meanBestReward: best.length ? best.reduce((a, b) => a + b, 0) / best.length : null,
      prompts: totals.done,
      failed: totals.failed,
      plays: totals.plays,
      tokens: totals.promptTokens + totals.completionTokens,
      costUsd: totals.costUsd,
      elapsedMs: totals.elapsedMs,
    });
  }
  return out;
}

/**
 * `onEvent` with each run-warning marked `repeat` when an earlier run of the comparison gave its
 * code: the strategies share the reward model and the config, so a warning about them (a reward
 * that never varies) comes from every run. What speaks to the user once per comparison (`toa
 * compare`'s lines, VS Code's notifications) leaves the repeats unsaid; each run's own view (the
 * panel's snapshot of it) still lists its warning, with its own counts.
 */
function markRepeats(onEvent: RunOptions['onEvent']): RunOptions['onEvent'] {
  const said = new Set<RunWarning['code']>();
  return (event) => {
    if (event.type !== 'run-warning') return onEvent(event);
    onEvent(said.has(event.code) ? { ...event, repeat: true } : event);
    said.add(event.code);
  };
}

/** The id of a comparison's run of one strategy: named by the comparison and the strategy. */
export function comparedRunId(comparison: string, strategy: StrategyName): string {
  return `${comparison}-${strategy}`;
}
