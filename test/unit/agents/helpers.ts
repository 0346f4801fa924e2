import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent } from '../../../src/core/agents/agent';
import type { Completion, RetryNotice } from '../../../src/core/agents/types';
import { agentSchema, type AgentConfig } from '../../../src/core/config/schema';
import type { Clock } from '../../../src/core/util/clock';

/**
 * A clock the test drives. `auto`: every sleep advances time at once and resolves. Manual:
 * sleeps stay pending until `advance` moves time past them.
 */
export class FakeClock implements Clock {
  time = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  private waiters: Array<{ until: number; resolve(): void }> = [];

  constructor(private readonly auto = true) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.auto) {
      this.time += ms;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = { until: this.time + ms, resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); } };
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  get pending(): number {
    return this.waiters.length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.waiters.filter((w) => w.until <= this.time);
    this.waiters = this.waiters.filter((w) => w.until > this.time);
    for (const w of due) w.resolve();
  }
}

/** Polls `condition` every few ms, for at most `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void | Promise<void>;

export interface TestServer {
  url: string;
  /** Requests received so far. */
  count: number;
  bodies: unknown[];
  headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1, a free port; `handler` gets each request's 1-based number. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const state: TestServer = { url: '', count: 0, bodies: [], headers: [], close: async () => undefined };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const n = ++state.count;
      state.headers.push(req.headers);
      try {
        state.bodies.push(JSON.parse(body));
      } catch {
        state.bodies.push(body);
      }
      void handler(req, res, body, n);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function completionBody(text: string, usage = true): Record<string, unknown> {
  return {
    id: 'cmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    ...(usage ? { usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } } : {}),
  };
}

function chunk(choices: unknown[], usage?: unknown): string {
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...(usage ? { usage } : {}) })}\n\n`;
}

/** Streams `parts` as SSE; `finish: false` ends the stream cleanly but without a finish_reason. */
export function sendStream(res: ServerResponse, parts: string[], opts: { finish?: boolean; usage?: boolean; reason?: string } = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const part of parts) res.write(chunk([{ index: 0, delta: { content: part }, finish_reason: null }]));
  if (opts.finish !== false) {
    res.write(chunk([{ index: 0, delta: {}, finish_reason: opts.reason ?? 'stop' }]));
    if (opts.usage !== false) res.write(chunk([], { prompt_tokens: 5, completion_tokens: parts.length, total_tokens: 5 + parts.length }));
  }
  res.end('data: [DONE]\n\n');
}

/** A valid agent config pointing at `url`, with test-friendly defaults. */
export function agentConfig(url: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
  return agentSchema.parse({ name: 'gpt', baseURL: `${url}/v1`, model: 'm', stream: false, maxRetries: 3, timeoutMs: 5000, ...overrides });
}

/**
 * A call against a server that answers every request with 500, aborted while it waits out its
 * backoff: it must reject with the abort reason at once, after one request and no retry.
 * `start` makes the call (an agent's or a reward's) with the clock and the signal given.
 */
export async function expectAbortDuringBackoff(start: (url: string, clock: FakeClock, signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const failing = await startServer((_req, res) => sendJson(res, 500, {}));
  try {
    const clock = new FakeClock(false);
    const controller = new AbortController();
    const call = start(failing.url, clock, controller.signal);
    await waitFor(() => clock.pending === 1);
    const reason = new Error('stop now');
    controller.abort(reason);
    await assert.rejects(call, (error) => error === reason);
    assert.equal(failing.count, 1);
  } finally {
    await failing.close();
  }
}

export interface CallOutcome {
  result: Completion | Error;
  /** The reason of each retry, in order. */
  notices: RetryNotice[];
  /** Requests the server received. */
  count: number;
}

/** One agent call (2 retries, unless `overrides` say otherwise) against a stub that `handler` answers. */
export async function callAgent(handler: Handler, overrides: Partial<AgentConfig> = {}): Promise<CallOutcome> {
  const server = await startServer(handler);
  const notices: RetryNotice[] = [];
  try {
    const agent = createAgent(agentConfig(server.url, { maxRetries: 2, ...overrides }), { clock: new FakeClock(), onRetry: (n) => notices.push(n) });
    const result = await agent.complete([{ role: 'user', content: 'Which is larger, 9.11 or 9.8?' }], new AbortController().signal).catch((error: Error) => error);
    return { result, notices, count: server.count };
  } finally {
    await server.close();
  }
}
