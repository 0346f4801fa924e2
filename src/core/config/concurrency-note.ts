import { count, plural } from '../../shared/plural';
import type { ToaConfig } from './schema';

/** The strategies that call one agent, `search.agent` (the first when unset). */
const SINGLE_AGENT_STRATEGIES: readonly string[] = ['best-of-n', 'prs'];

/**
 * A note when the agents' own caps keep a run below the `run.concurrency` the config sets: each
 * agent has at most its `maxConcurrency` (8 by default) calls in flight, so the slots asked for
 * are never all used, and nothing else tells the user why. None when the config leaves it unset:
 * the user asked for no number of calls, and the default's 32 would be noted for every config of
 * fewer than four agents. None either when every agent the run calls has a `requestsPerMinute`:
 * that limit throttles on purpose, and how many calls it leaves in flight depends on how long
 * replies take.
 */
export function concurrencyNotes(config: ToaConfig): string[] {
  const wanted = config.run.concurrency;
  if (wanted === undefined) return [];
  const called = calledAgents(config);
  const caps = called.map((i) => config.agents[i]!.maxConcurrency);
  const allowed = caps.reduce((a, b) => a + b, 0);
  if (allowed >= wanted || called.every((i) => config.agents[i]!.requestsPerMinute !== undefined)) return [];
  const inFlight = `at most ${count(allowed, 'model call')} ${plural(allowed, 'is', 'are')} in flight`;
  if (called.length === 1) {
    const i = called[0]!;
    const only = config.agents.length > 1 ? `, the one agent ${config.search.strategy} calls,` : '';
    return [`run.concurrency ${wanted} is more than agents[${i}] (${config.agents[i]!.name})${only} allows at once (maxConcurrency ${allowed}): ${inFlight}; raise agents[${i}].maxConcurrency to use it`];
  }
  const sum = caps.every((c) => c === caps[0]) ? `${count(caps.length, 'agent')} x maxConcurrency ${caps[0]}` : `maxConcurrency ${caps.join(' + ')}`;
  return [`run.concurrency ${wanted} is more than the agents allow at once (${sum} = ${allowed}): ${inFlight}; raise agents[i].maxConcurrency to use it`];
}

/** The indexes of the agents the configured strategy calls. */
function calledAgents(config: ToaConfig): number[] {
  if (!SINGLE_AGENT_STRATEGIES.includes(config.search.strategy)) return config.agents.map((_, i) => i);
  const named = config.search.agent === undefined ? 0 : config.agents.findIndex((a) => a.name === config.search.agent);
  return [Math.max(0, named)];
}
