import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../core/util/clock';
import { handleChat } from './chat';
import type { Exchange, SimContext } from './context';
import { handleCounters, handleGetFaults, handleModels, handleQuality, handleSetFaults } from './control';
import { CounterBoard } from './counters';
import { DEFAULT_SIM_AGENTS, NO_FAULTS, SIM_DEFAULTS, SIM_REWARD_MODEL } from './defaults';
import { SimEngine } from './engine';
import { mergeFaults } from './faults';
import { KeyLedger } from './key-faults';
import { HttpError, sendError } from './http';
import { rewardHandler } from './reward';
import type { SimFaults, SimOptions, SimServer } from './types';
import { errorText } from '../core/util/errors';

type Handler = (ctx: SimContext, ex: Exchange) => Promise<void>;

interface Route {
  handler: Handler;
  /** Chat and reward calls are counted (requests, in flight, aborted); control calls are not. */
  counts?: 'chat' | 'reward';
}

const ROUTES: Record<string, Route> = {
  'POST /v1/chat/completions': { handler: handleChat, counts: 'chat' },
  'GET /v1/models': { handler: handleModels },
  'POST /classify': { handler: rewardHandler('classify'), counts: 'reward' },
  'POST /pooling': { handler: rewardHandler('pooling'), counts: 'reward' },
  'GET /sim/quality': { handler: handleQuality },
  'GET /sim/counters': { handler: handleCounters },
  'GET /sim/faults': { handler: handleGetFaults },
  'POST /sim/faults': { handler: handleSetFaults },
};

/** Starts the simulated endpoints on 127.0.0.1 (see types.ts for the contract). */
export async function startSim(options: SimOptions = {}): Promise<SimServer> {
  const ctx = simContext(options);
  const server = createServer((req, res) => void serve(ctx, req, res));
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    models: ctx.engine.models,
    rewardModel: ctx.rewardModel,
    trueQuality: (text) => ctx.engine.trueQuality(text),
    counters: () => ctx.counters.snapshot(),
    setFaults: (patch) => void ctx.setFaults(patch),
    close: () => close(server),
  };
}

/** What every request handler shares: the engine, the counts, the keys, the faults as they are now. */
function simContext(options: SimOptions): SimContext {
  const engine = simEngine(options);
  const rewardModel = options.rewardModel ?? SIM_REWARD_MODEL;
  const models = [...engine.models, rewardModel];
  let faults: SimFaults = mergeFaults(NO_FAULTS, options.faults ?? {}, models);
  return {
    engine,
    counters: new CounterBoard(),
    keys: new KeyLedger(),
    faults: () => faults,
    setFaults: (patch) => (faults = mergeFaults(faults, patch, models)),
    latencyMs: options.latencyMs ?? SIM_DEFAULTS.latencyMs,
    rewardLatencyMs: options.rewardLatencyMs ?? SIM_DEFAULTS.rewardLatencyMs,
    rewardModel,
    rewardFaults: options.rewardFaults ?? false,
    clock: systemClock,
    now: () => Math.floor(Date.now() / 1000),
  };
}

function simEngine(options: SimOptions): SimEngine {
  const agents = options.agents ?? DEFAULT_SIM_AGENTS;
  if (agents.length === 0) throw new Error('startSim: at least one agent is needed');
  return new SimEngine({
    seed: options.seed ?? SIM_DEFAULTS.seed,
    agents,
    affinitySpread: options.affinitySpread ?? SIM_DEFAULTS.affinitySpread,
    rewardNoise: options.rewardNoise ?? SIM_DEFAULTS.rewardNoise,
    rewardScale: options.rewardScale ?? SIM_DEFAULTS.rewardScale,
    answers: options.answers ?? new Map(),
  });
}

async function serve(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const base = 'http://127.0.0.1';
  if (!URL.canParse(req.url ?? '/', base)) return sendError(res, new HttpError(400, 'request URL cannot be parsed'));
  const url = new URL(req.url ?? '/', base);
  const route = ROUTES[`${req.method} ${url.pathname}`];
  const closed = new AbortController();
  let brokenByUs = false;
  res.once('close', () => {
    closed.abort(new Error('connection closed'));
    if (route?.counts) ctx.counters.ended(!res.writableFinished && !brokenByUs);
  });
  if (route?.counts) ctx.counters.started(route.counts);
  const ex: Exchange = {
    req,
    res,
    url,
    signal: closed.signal,
    breakOff: () => {
      brokenByUs = true;
      res.destroy();
    },
  };
  try {
    if (!route) throw new HttpError(404, `no route for ${req.method} ${url.pathname}`, 'invalid_request_error', 'not_found');
    await route.handler(ctx, ex);
  } catch (err) {
    answerFailure(ex, err);
  }
}

/** A refused request gets its error body; anything else a 500, or a cut connection mid-reply. */
function answerFailure(ex: Exchange, err: unknown): void {
  if (ex.signal.aborted) return;
  if (ex.res.headersSent) {
    ex.res.destroy();
    return;
  }
  const error = err instanceof HttpError ? err : new HttpError(500, `sim failure: ${errorText(err)}`, 'server_error');
  sendError(ex.res, error);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops listening and destroys every connection, idle keep-alive ones included; a reply still
 * waiting on its latency sees its connection close, which cancels the wait, so no timer is left.
 */
function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
