import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/util/clock';
import type { CounterBoard } from './counters';
import type { KeyLedger } from './key-faults';
import type { SimEngine } from './engine';
import type { SimFaults } from './types';

/** What the request handlers share: one per server. */
export interface SimContext {
  engine: SimEngine;
  counters: CounterBoard;
  keys: KeyLedger;
  faults(): SimFaults;
  /** Applies an untrusted partial setting; throws with a message naming the bad field. */
  setFaults(patch: unknown): SimFaults;
  latencyMs: number;
  rewardLatencyMs: number;
  rewardModel: string;
  /** Whether reward calls take part in fault injection. */
  rewardFaults: boolean;
  clock: Clock;
  /** Unix seconds, for `created` fields. */
  now(): number;
}

/** One request being served. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Aborted when the connection closes: the client went away, or the server is closing. */
  signal: AbortSignal;
  /** Ends the reply by destroying the socket, as an injected fault (not counted as an abort). */
  breakOff(): void;
}

/** Waits `ms` unless the connection closes first (then throws, ending the handler). */
export async function pause(ctx: SimContext, ex: Exchange, ms: number): Promise<void> {
  if (ms > 0) await ctx.clock.sleep(ms, ex.signal);
}
