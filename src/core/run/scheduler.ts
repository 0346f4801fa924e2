import { setMaxListeners } from 'node:events';
import { createRunContext, type RunContext } from './context';
import { RunStop } from './run-stop';
import { RowFeed } from './feed';
import { searchPrompt } from './prompt';
import type { RunOptions, RunSummary } from './types';
import { errorText } from '../util/errors';

/**
 * Prompts searched at once per slot of `run.concurrency`. One would leave slots idle whenever a
 * prompt is between calls (scoring, bookkeeping) and at the end of the input, when the last
 * prompts' sequential searches run on alone; two keep a prompt ready for every slot that frees,
 * and give the gate's tail balancing (see play.ts) prompts to balance. Memory stays bounded by
 * the prompts in flight.
 */
const PROMPTS_PER_SLOT = 2;

/**
 * Runs the strategy over every row. Up to 2 x `run.concurrency` prompts are searched at once,
 * each by a worker that pulls the next row when its prompt ends; the gate bounds model calls in
 * flight, and gives earlier prompts priority.
 *
 * Cancelling (`options.signal`) stops new work at once, aborts calls in flight, and stores
 * nothing for the interrupted prompts; the outputs of searches that had finished are written
 * whole before the run ends (run-cancelling says which, see SavingTracker), so no output is
 * half written; run-done says cancelled.
 * A bad input (the row source throws, e.g. a ValidationError), an output that cannot be
 * written (OutputError), an endpoint that cannot be reached and never answered
 * (EndpointDownError) or one that refuses a request field the config sets, or the key
 * (RequestRefusedError), stops the run the same way, and after run-done `runPrompts` rejects with that error.
 */
export async function runPrompts(options: RunOptions): Promise<RunSummary> {
  const stop = new RunStop();
  const ctx = createRunContext(options, stop);
  // Every call in flight listens to the run's signal: the default warning at 11 listeners
  // would fire on any run with more than ten calls at once.
  setMaxListeners(0, ctx.signal);
  const prompts = Array.isArray(options.rows) ? { prompts: options.rows.length } : {};
  ctx.reporter.emit({ type: 'run-start', runId: ctx.runId, strategy: ctx.strategy, budget: ctx.params.budget, agents: ctx.agentNames, ...prompts });
  // A cancel is said at once: the run may still wait for outputs being written (see SavingTracker).
  const onCancel = (): void => ctx.saving.cancelled();
  if (options.signal.aborted) onCancel();
  else options.signal.addEventListener('abort', onCancel, { once: true });
  const feed = new RowFeed(ctx);
  const worker = async (): Promise<void> => {
    try {
      for (let next = await feed.next(); next; next = await feed.next()) await searchPrompt(ctx, next.row, next.order);
    } catch (error) {
      stop.halt(error);
    }
  };
  await Promise.all(Array.from({ length: PROMPTS_PER_SLOT * ctx.gate.capacity }, worker));
  try {
    await feed.close();
  } catch (error) {
    stop.halt(error);
  }
  options.signal.removeEventListener('abort', onCancel);
  const { fatal } = stop;
  const summary = finish(ctx, fatal !== undefined || options.signal.aborted, fatal && errorText(fatal.error));
  if (fatal) throw fatal.error;
  return summary;
}

function finish(ctx: RunContext, cancelled: boolean, stopped: string | undefined): RunSummary {
  ctx.firstRewards.finish();
  ctx.reporter.finish();
  const totals = ctx.stats.runTotals(ctx.clock.now());
  ctx.reporter.emit({ type: 'run-done', cancelled, ...(stopped === undefined ? {} : { stopped }), totals });
  return { runId: ctx.runId, cancelled, totals, agents: ctx.stats.agentStats() };
}

