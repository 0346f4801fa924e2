import type { SearchParams } from '../../../src/core/config/defaults';
import type { PlayOutcome, PlayRequest, SearchEnv } from '../../../src/core/search/types';
import { systemClock } from '../../../src/core/util/clock';
import { hashString, seededRandom } from '../../../src/core/util/random';
import type { TreeNode } from '../../../src/shared/tree';

/**
 * A SearchEnv without HTTP. Each answer's hidden quality is a deterministic function of the
 * request (agent, mode, source texts), how many times that same request was made before, and
 * the seed; the reward is that quality. Optional jitter makes calls finish out of order, to
 * show the trees do not depend on timing.
 */

interface FakeAgent {
  name: string;
  /** Mean quality of an answer from scratch. */
  skill: number;
  /** Added to the best source's quality when refining or aggregating. */
  gain: number;
  /** Width of the uniform noise around the mean. */
  noise: number;
}

const FAKE_AGENTS: FakeAgent[] = [
  { name: 'alpha', skill: 0.45, gain: 0.04, noise: 0.3 },
  { name: 'beta', skill: 0.55, gain: 0.08, noise: 0.2 },
  { name: 'gamma', skill: 0.35, gain: 0.12, noise: 0.4 },
];

export const BASE_PARAMS: SearchParams = {
  strategy: 'toa',
  budget: 20,
  tau: 0.1,
  alpha: 0.01,
  width: 6,
  topk: 1,
  seed: 7,
  agent: 1,
  moaLayers: 2,
};

type PlayInfo = Parameters<NonNullable<SearchEnv['onPlay']>>[0];

/** The env plus what a test wants to look at afterwards. */
export interface RecordingEnv extends SearchEnv {
  /** Calls in the order they were made (with concurrency, not the order of plays). */
  requests: PlayRequest[];
  /** The request behind each answer text. */
  requestOf: Map<string, PlayRequest>;
  nodes: TreeNode[];
  plays: PlayInfo[];
  maxInFlight: number;
  /** Calls that were in flight when their signal aborted. */
  abortedCalls: number;
}

export interface FakeOptions {
  params?: Partial<SearchParams>;
  agents?: FakeAgent[];
  /** Each call waits 0..jitterMs-1 ms (seeded), so completions interleave. */
  jitterMs?: number;
  /** Overrides the reward: called with the request and its 0-based index among all calls. */
  reward?: (request: PlayRequest, index: number) => number;
  /** Makes the call with this 0-based index reject at once with this error. */
  failAt?: { index: number; error: Error };
  /** Answers even when aborted, like a client that does not honour the signal. */
  ignoreAbort?: boolean;
  /** Runs when the call with this 0-based index starts (to abort at a precise moment). */
  onCall?: (index: number) => void;
  /** Every answer's text is unique (`requestOf` then finds each answer's own request). */
  uniqueTexts?: boolean;
}

export function fakeEnv(options: FakeOptions = {}): RecordingEnv {
  const params = { ...BASE_PARAMS, ...options.params };
  const agents = options.agents ?? FAKE_AGENTS;
  const quality = new Map<string, number>();
  const seen = new Map<string, number>();
  let inFlight = 0;

  const answer = (request: PlayRequest, index: number): { outcome: PlayOutcome; delayMs: number } => {
    const agent = agents[request.agent];
    if (!agent) throw new Error(`fake env: no agent ${request.agent}`);
    const key = `${request.agent}|${request.mode}|${request.sources.join('\n--\n')}`;
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    const rng = seededRandom(hashString(`${params.seed}|${key}|${repeat}`));
    const base = request.sources.length === 0 ? agent.skill : Math.max(...request.sources.map((s) => quality.get(s) ?? 0)) + agent.gain;
    const q = base + agent.noise * (rng.next() - 0.5);
    // Two requests can draw the same quality; a hash of the request tells their texts apart.
    const tag = options.uniqueTexts ? `@${hashString(key).toString(36)}` : '';
    const text = `${agent.name}/${request.mode}/${repeat}:${q.toFixed(6)}${tag}`;
    quality.set(text, q);
    env.requestOf.set(text, request);
    const reward = options.reward ? options.reward(request, index) : q - 0.5;
    const call = { promptTokens: 10, completionTokens: text.length, latencyMs: 0, costUsd: 0, rewardLatencyMs: 0, attempts: 1 };
    return { outcome: { text, reward, call }, delayMs: Math.floor(rng.next() * (options.jitterMs ?? 0)) };
  };

  const env: RecordingEnv = {
    promptId: 'p1',
    agents: agents.map((a) => a.name),
    params,
    rng: seededRandom(params.seed),
    requests: [],
    requestOf: new Map(),
    nodes: [],
    plays: [],
    maxInFlight: 0,
    abortedCalls: 0,
    async play(request, signal) {
      if (!options.ignoreAbort) signal.throwIfAborted();
      const index = env.requests.push(request) - 1;
      options.onCall?.(index);
      inFlight++;
      env.maxInFlight = Math.max(env.maxInFlight, inFlight);
      try {
        const { outcome, delayMs } = answer(request, index);
        if (options.failAt?.index === index) throw options.failAt.error;
        // Without jitter a turn of the event loop keeps calls in flight together, with no
        // timer's millisecond: the property tests make thousands of calls.
        if (options.jitterMs) await systemClock.sleep(delayMs, options.ignoreAbort ? undefined : signal);
        else await new Promise(setImmediate);
        return outcome;
      } catch (error) {
        if (!signal.aborted || index === options.failAt?.index) throw error;
        // Real clients reject an aborted call with their own error, not the signal's reason.
        env.abortedCalls++;
        throw new Error('fake call aborted', { cause: error });
      } finally {
        inFlight--;
      }
    },
    onNode: (node) => void env.nodes.push(node),
    onPlay: (info) => void env.plays.push(info),
  };
  return env;
}
