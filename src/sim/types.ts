/**
 * The simulated endpoints' contract: an OpenAI-compatible chat server plus vLLM reward endpoints
 * on 127.0.0.1, with seeded agents of different strength, a hidden true quality per response,
 * and fault injection. The offline default for demos, tests and benchmarks.
 */

/** One simulated model, addressed by `model` in chat requests. */
export interface SimAgentSpec {
  model: string;
  /** Mean true quality of a from-scratch answer, in [0, 1]. */
  strength: number;
  /** How much a refinement moves quality toward 1 (negative values degrade). */
  refineGain: number;
  /** Spread of quality around the mean. */
  noise: number;
}

/** Probabilities per request (0..1), drawn from the server's seeded generator. */
export interface SimFaults {
  rate429: number;
  /** Seconds sent in Retry-After with a 429. */
  retryAfterSeconds: number;
  rate500: number;
  /** Probability of a slow reply, and its extra delay. */
  rateSlow: number;
  slowMs: number;
  /** Probability a stream stops mid-way (socket destroyed without [DONE]). */
  rateCut: number;
  /** Probability of a 200 with a body that is not valid JSON. */
  rateMalformed: number;
  /**
   * Per model (a chat model or the reward model): how many calls its key gets through before it
   * is revoked, every later call then answering 401, as a key revoked mid-run does.
   */
  revokeKeyAfter: Record<string, number>;
  /** Per model: how many calls before its account runs out of credit, every later call answering 402. */
  outOfCreditAfter: Record<string, number>;
}

export interface SimOptions {
  /** 0 = pick a free port. Always binds 127.0.0.1. */
  port?: number;
  seed?: number;
  agents?: SimAgentSpec[];
  /** Base latency of a chat completion, ms (a stream spreads it over its chunks). */
  latencyMs?: number;
  /** Latency of a reward call, ms. */
  rewardLatencyMs?: number;
  /** Standard deviation of reward-model noise around the true quality. */
  rewardNoise?: number;
  /** Scale of reward values: reward = scale * (quality + noise). ArmoRM-like 0.1, logit-like 4. */
  rewardScale?: number;
  faults?: Partial<SimFaults>;
  /** Also inject the faults into reward calls (default false: faults hit chat calls only). */
  rewardFaults?: boolean;
  /** Optional answer key for math prompts: prompt text -> correct final answer. */
  answers?: Map<string, string>;
  /**
   * Half-width of each agent's per-prompt affinity, added to its strength and refine gain, so
   * the best agent differs between prompts. 0 gives every prompt the same agent ranking.
   */
  affinitySpread?: number;
  /** Name the reward endpoints answer to (other names get a 404). Default `sim-reward`. */
  rewardModel?: string;
}

export interface SimCounters {
  chatRequests: number;
  rewardRequests: number;
  /** Requests whose client went away before the reply finished. */
  aborted: number;
  inFlight: number;
  faults: Record<'429' | '500' | 'slow' | 'cut' | 'malformed' | '401' | '402', number>;
}

export interface SimServer {
  /** e.g. http://127.0.0.1:43123 ; chat agents use `${url}/v1`, the reward model `${url}`. */
  url: string;
  port: number;
  models: string[];
  /** The `model` the /classify and /pooling endpoints accept. */
  rewardModel: string;
  /** The hidden true quality of a response the server produced (undefined if unknown). */
  trueQuality(responseText: string): number | undefined;
  counters(): SimCounters;
  setFaults(faults: Partial<SimFaults>): void;
  close(): Promise<void>;
}
