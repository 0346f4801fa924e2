import type { PromptRow } from '../chat';
import { bestAnswer, runStrategy } from '../search';
import type { SearchEnv } from '../search/types';
import { hashString, seededRandom } from '../util/random';
import { errorText } from '../util/errors';
import type { SearchTree } from '../../shared/tree';
import type { RunContext } from './context';
import { createPlay } from './play';
import { promptWinners } from './prompt-winner';

/** Raised when the outputs could not take a finished tree: the run cannot usefully go on. */
export class OutputError extends Error {
  constructor(readonly promptId: string, cause: unknown) {
    super(`prompt "${promptId}": could not save the outputs: ${errorText(cause)}`, { cause });
    this.name = 'OutputError';
  }
}

/**
 * Searches one prompt and reports it: prompt-start, the tree as it grows, then prompt-done (after
 * `onTree` has stored it), prompt-failed with the reason, or prompt-cancelled when the run's
 * signal cut it short. A failed play fails only this prompt.
 * Throws only an OutputError, an EndpointDownError or a RequestRefusedError, which the scheduler
 * treats as fatal for the run.
 */
export async function searchPrompt(ctx: RunContext, row: PromptRow, order: number): Promise<void> {
  const { reporter, stats } = ctx;
  const promptId = row.id;
  reporter.emit({ type: 'prompt-start', promptId });
  const startedAt = ctx.clock.now();
  const fail = (error: string): void => {
    stats.promptFailed();
    reporter.emit({ type: 'prompt-failed', promptId, error });
    reporter.statsChanged();
  };
  let tree: SearchTree;
  try {
    tree = await runStrategy(ctx.strategy, searchEnv(ctx, row, order), ctx.signal);
  } catch (error) {
    if (ctx.stop.metBy(error, promptId)) {
      fail(errorText(error));
      throw error;
    }
    if (ctx.signal.aborted) return reporter.emit({ type: 'prompt-cancelled', promptId });
    return fail(errorText(error));
  }
  const best = bestAnswer(tree);
  if (!best) return fail('the search produced no response');
  try {
    const info = { runId: ctx.runId, configHash: ctx.configHash, startedAt, finishedAt: ctx.clock.now() };
    const { onTree } = ctx.options;
    if (onTree) await ctx.saving.save(promptId, () => onTree(tree, row, info));
  } catch (error) {
    // The event is about this prompt already; the error that ends the run names it.
    fail(`could not save the outputs: ${errorText(error)}`);
    throw new OutputError(promptId, error);
  }
  stats.promptDone(promptWinners(tree, best).map((agent) => ctx.agentNames.indexOf(agent)));
  reporter.emit({ type: 'prompt-done', promptId, tree, best });
  reporter.statsChanged();
}

/**
 * Each prompt's randomness comes from (search.seed, its id) alone, so its tree does not depend
 * on which prompts run beside it or in what order their calls finish.
 */
function promptSeed(seed: number, promptId: string): number {
  return (Math.imul(seed, 0x9e3779b1) ^ hashString(promptId)) >>> 0;
}

function searchEnv(ctx: RunContext, row: PromptRow, order: number): SearchEnv {
  const promptId = row.id;
  return {
    promptId,
    agents: ctx.agentNames,
    params: ctx.params,
    rng: seededRandom(promptSeed(ctx.params.seed, promptId)),
    play: createPlay(ctx, row, order),
    onNode: (node) => ctx.reporter.emit({ type: 'node-added', promptId, node }),
    onPlay: (info) => ctx.reporter.emit({ type: 'play-done', promptId, ...info }),
  };
}

