import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PromptRow } from '../../../src/core/chat';
import { ValidationError } from '../../../src/core/config/errors';
import { CallError, type ChatAgent } from '../../../src/core/agents/types';
import { Curator } from '../../../src/core/curation';
import { readPromptRows } from '../../../src/core/dataset/reader';
import { createReward } from '../../../src/core/rewards/create';
import { RewardError, type RewardModel } from '../../../src/core/rewards/types';
import type { RewardConfig } from '../../../src/core/config/schema';
import { EndpointDownError } from '../../../src/core/run/endpoint-down';
import { OutputError } from '../../../src/core/run/prompt';
import { RequestRefusedError } from '../../../src/core/run/request-refused';
import type { RunContext } from '../../../src/core/run/context';
import { RowFeed } from '../../../src/core/run/feed';
import { playPriority } from '../../../src/core/run/play';
import { runPrompts } from '../../../src/core/run/scheduler';
import type { RunEvent } from '../../../src/shared/events';
import type { SearchTree } from '../../../src/shared/tree';
import { FakeWorld, makeConfig, makeRows, runOptions } from './fakes';

type Of<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T): Array<Of<T>> => events.filter((e): e is Of<T> => e.type === type);

async function waitUntil(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A tree without the wall-clock part (reward latency is measured, not simulated). */
function withoutTiming(tree: SearchTree): unknown {
  return JSON.parse(JSON.stringify(tree, (key, value: unknown) => (key === 'rewardLatencyMs' ? undefined : value)));
}

describe('runPrompts: the global concurrency limit', () => {
  it('never has more model calls or reward calls in flight than run.concurrency, and fills it (parallel baseline)', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'ensemble', budget: 6, concurrency: 3 });
    const summary = await runPrompts(runOptions(world, config, makeRows(8)));
    assert.equal(summary.totals.done, 8);
    assert.equal(world.calls.length, 48);
    assert.equal(world.maxInFlight, 3);
    assert.ok(world.maxScoring <= 3, `${world.maxScoring} reward calls in flight`);
  });

  it('fills the limit with sequential searches by running several prompts at once (TOA)', async () => {
    const world = new FakeWorld();
    const summary = await runPrompts(runOptions(world, makeConfig({ strategy: 'toa', budget: 5, concurrency: 4 }), makeRows(10)));
    assert.equal(summary.totals.done, 10);
    assert.equal(world.maxInFlight, 4);
  });

  it('balances the tail: input order while rows remain, then the prompt with the fewest plays started', () => {
    const order = (inputDone: boolean, prompts: [order: number, started: number][]): number[] =>
      prompts
        .map(([o, started]) => ({ o, p: playPriority({ inputDone }, o, started) }))
        .sort((a, b) => a.p - b.p)
        .map((x) => x.o);
    const waiting: [number, number][] = [[0, 5], [1, 2], [2, 0], [3, 2]];
    assert.deepEqual(order(false, waiting), [0, 1, 2, 3]);
    assert.deepEqual(order(true, waiting), [2, 1, 3, 0]);
  });

  it('knows the input is exhausted as soon as the last row is handed out (read-ahead)', async () => {
    const ctx = {
      options: { rows: makeRows(2) },
      signal: new AbortController().signal,
      stats: { promptSeen: () => undefined, promptSkipped: () => undefined },
      reporter: { emit: () => undefined },
      inputDone: false,
    };
    const feed = new RowFeed(ctx as unknown as RunContext);
    assert.equal((await feed.next())?.row.id, 'p0');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ctx.inputDone, false);
    assert.equal((await feed.next())?.row.id, 'p1');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ctx.inputDone, true, 'known before anyone asks for a third row');
    assert.equal(await feed.next(), undefined);
  });

  it('pulls rows lazily: no more prompts are read than the window needs', async () => {
    let pulled = 0;
    let pulledAtFirstDone = -1;
    async function* rows(): AsyncGenerator<PromptRow> {
      for (const row of makeRows(50)) {
        pulled++;
        yield row;
      }
    }
    const world = new FakeWorld({ delay: () => 2 });
    const options = runOptions(world, makeConfig({ strategy: 'toa', budget: 3, concurrency: 2 }), rows(), {
      onEvent: (e) => {
        if (e.type === 'prompt-done' && pulledAtFirstDone < 0) pulledAtFirstDone = pulled;
      },
    });
    const summary = await runPrompts(options);
    assert.equal(summary.totals.done, 50);
    // Two prompts in flight per slot, and one row read ahead.
    assert.ok(pulledAtFirstDone <= 2 * 2 + 1, `pulled ${pulledAtFirstDone} rows before the first prompt finished`);
  });
});

describe('runPrompts: determinism', () => {
  for (const strategy of ['toa', 'sequential', 'ensemble'] as const) {
    it(`${strategy}: each prompt's tree is the same whatever the scheduling`, async () => {
      const rows = makeRows(6);
      const trees = async (concurrency: number, order: PromptRow[], delay: (agent: string, call: number) => number): Promise<Map<string, unknown>> => {
        const out = new Map<string, unknown>();
        const options = runOptions(new FakeWorld({ delay }), makeConfig({ strategy, budget: 7, concurrency }), order, {
          onTree: async (tree) => void out.set(tree.promptId, withoutTiming(tree)),
        });
        await runPrompts(options);
        return out;
      };
      const serial = await trees(1, rows, () => 0);
      const shuffled = await trees(5, rows.slice().reverse(), (_agent, call) => (call * 7919) % 5);
      assert.equal(serial.size, 6);
      for (const row of rows) assert.deepEqual(shuffled.get(row.id), serial.get(row.id), row.id);
    });
  }

  it('a different seed gives different trees', async () => {
    const collect = async (seed: number): Promise<unknown[]> => {
      const out: unknown[] = [];
      await runPrompts(runOptions(new FakeWorld(), makeConfig({ strategy: 'sequential', budget: 6, seed }), makeRows(3), { onTree: async (t) => void out.push(withoutTiming(t)) }));
      return out;
    };
    assert.notDeepEqual(await collect(1), await collect(2));
  });
});

describe('runPrompts: plays', () => {
  it('send refine prompts to agents but score every response against the original prompt', async () => {
    const world = new FakeWorld();
    const rows = makeRows(3).map((row) => ({ ...row, reference: `ref ${row.id}` }));
    await runPrompts(runOptions(world, makeConfig({ strategy: 'toa', budget: 9 }), rows));
    const refines = world.calls.filter((c) => !rows.some((r) => JSON.stringify(r.messages) === JSON.stringify(c.messages)));
    assert.ok(refines.length > 0, 'TOA refined some answers');
    const answers = new Set(world.calls.map((c) => c.completion!.text));
    assert.ok(refines.every((c) => [...answers].some((a) => c.messages.at(-1)!.content.includes(a))), 'a refine prompt quotes an earlier answer');
    assert.equal(world.scored.length, 27);
    for (const input of world.scored) {
      const row = rows.find((r) => r.id === input.promptId)!;
      assert.deepEqual([input.messages, input.reference], [row.messages, row.reference]);
    }
  });

  it('a failing reward fails the prompt with its reason; the model call still counts', async () => {
    const world = new FakeWorld({ rewardFails: (response) => response.startsWith('beta'), rewardAttempts: (response) => (response.startsWith('beta') ? 6 : 1) });
    const options = runOptions(world, makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 1 }), makeRows(1));
    const summary = await runPrompts(options);
    const failed = options.events.find((e) => e.type === 'prompt-failed');
    assert.equal(failed?.type === 'prompt-failed' && failed.error, 'reward fake-reward: 503 unavailable');
    // Scoring holds no model slot, so gamma's call may already be under way when beta's reward fails.
    assert.deepEqual(summary.agents.slice(0, 2).map((a) => [a.name, a.calls, a.failures]), [['alpha', 1, 0], ['beta', 1, 0]]);
    assert.ok(summary.agents[2]!.calls <= 1 && summary.agents[2]!.failures === 0, 'gamma: at most its one call, never counted as failed');
    assert.equal(summary.totals.plays, 1);
    // alpha's reward call and beta's, which gave up after 6 tries.
    assert.deepEqual([summary.totals.reward?.calls, summary.totals.reward?.failures, summary.totals.reward?.retries], [2, 1, 5]);
  });
});

describe('runPrompts: failures, skips, cancellation', () => {
  it('a failing agent fails only the prompts it was asked about, with the reason', async () => {
    const world = new FakeWorld({ fails: (agent, messages) => agent === 'beta' && messages.some((m) => m.content.includes('poison')) });
    const rows = makeRows(5, (i) => (i === 1 || i === 3 ? `poison question ${i}` : `question ${i}`));
    const options = runOptions(world, makeConfig({ strategy: 'toa', budget: 6, concurrency: 2 }), rows);
    const summary = await runPrompts(options);
    const failed = ofType(options.events, 'prompt-failed');
    assert.deepEqual(failed.map((e) => e.promptId).sort(), ['p1', 'p3']);
    for (const e of failed) assert.equal(e.error, 'agent "beta": 500 simulated outage');
    assert.deepEqual(ofType(options.events, 'prompt-done').map((e) => e.promptId).sort(), ['p0', 'p2', 'p4']);
    assert.equal(summary.totals.failed, 2);
    assert.equal(summary.totals.done, 3);
    assert.equal(summary.cancelled, false);
    assert.equal(summary.agents.find((a) => a.name === 'beta')!.failures, 2);
  });

  it('honours the skip set: skipped prompts are reported and never called', async () => {
    const world = new FakeWorld();
    const options = runOptions(world, makeConfig({ strategy: 'best-of-n', budget: 2 }), makeRows(4), { skip: { claim: (row) => row.id === 'p1' || row.id === 'p3' } });
    const summary = await runPrompts(options);
    assert.deepEqual(ofType(options.events, 'prompt-skipped').map((e) => [e.promptId, e.preview]), [['p1', 'Question 1: what is 1 + 1?'], ['p3', 'Question 3: what is 3 + 3?']]);
    assert.deepEqual(ofType(options.events, 'prompt-queued').map((e) => e.promptId), ['p0', 'p2']);
    assert.ok(world.calls.every((c) => !/Question [13]:/.test(c.messages.at(-1)!.content)));
    assert.equal(world.calls.length, 4);
    assert.deepEqual([summary.totals.prompts, summary.totals.skipped, summary.totals.done], [4, 2, 2]);
  });

  it('abort stops promptly: calls in flight are cut, nothing new starts, nothing is stored', async () => {
    const world = new FakeWorld({ delay: () => 60_000 });
    const controller = new AbortController();
    let stored = 0;
    const options = runOptions(world, makeConfig({ strategy: 'ensemble', budget: 4, concurrency: 3 }), makeRows(20), {
      signal: controller.signal,
      onTree: async () => void stored++,
    });
    const running = runPrompts(options);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const callsAtAbort = world.calls.length;
    const started = Date.now();
    controller.abort(new Error('user cancelled'));
    const summary = await running;
    assert.ok(Date.now() - started < 1000, 'run ended promptly');
    assert.equal(callsAtAbort, 3);
    assert.equal(world.calls.length, callsAtAbort, 'no call started after the abort');
    assert.equal(world.inFlight, 0);
    assert.equal(stored, 0);
    assert.equal(summary.cancelled, true);
    const done = options.events.at(-1)!;
    assert.deepEqual([done.type, done.type === 'run-done' && done.cancelled], ['run-done', true]);
    assert.equal(ofType(options.events, 'prompt-failed').length, 0, 'a cancel fails no prompt');
    assert.ok(ofType(options.events, 'prompt-cancelled').length > 0);
    assert.equal(summary.totals.failed, 0, 'cancelled prompts are not failures');
    assert.equal(summary.agents.reduce((n, a) => n + a.calls, 0), 0, 'cut calls report no usage');
  });

  it('a cancel during a slow write says at once that the run is cancelling and which outputs it waits for, starts nothing new, and ends once they are written whole', async () => {
    const world = new FakeWorld({ delay: (_agent, call) => (call <= 2 ? 1 : 60_000) });
    const config = makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 1 });
    const controller = new AbortController();
    // A slow sink: the first trace row's write (its fsync) is held until the test lets it go.
    const lines: string[] = [];
    let letGo: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    let holding = false;
    const sink = (name: string) => ({
      append: async (rows: string[]): Promise<void> => {
        if (name === 'trace' && !holding) {
          holding = true;
          await held;
        }
        lines.push(...rows.map(() => name));
      },
    });
    const curator = new Curator({ trace: sink('trace'), sft: sink('sft'), preference: sink('preference') }, config.output, { kind: 'all' });
    const options = runOptions(world, config, makeRows(6), { signal: controller.signal, onTree: async (tree, row, info) => void (await curator.recordTree(tree, row, info)) });
    let ended = false;
    const running = runPrompts(options).finally(() => (ended = true));
    await waitUntil(() => holding); // p0's write is held; p1 is searching
    const calls = world.calls.length;
    const seen = options.events.length;
    controller.abort(new Error('cancelled by user'));
    assert.deepEqual(options.events.slice(seen).map((e) => e.type), ['run-cancelling'], 'said at once');
    assert.deepEqual(ofType(options.events, 'run-cancelling')[0]!.saving, ['p0']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(ended, false, 'the run waits for the write that has begun');
    assert.equal(world.calls.length, calls, 'no call starts after the cancel');
    assert.equal(options.events.slice(seen).filter((e) => e.type === 'prompt-start' || e.type === 'prompt-queued').length, 0, 'no prompt starts');
    letGo!();
    const summary = await running;
    assert.equal(summary.cancelled, true);
    // The trace row, then the rows it names: cut between them, resume would skip p0 without its SFT row.
    assert.deepEqual(lines, ['trace', 'sft', 'preference']);
    const after = options.events.slice(seen).map((e) => (e.type === 'run-cancelling' ? `cancelling ${e.saving.join(',')}` : 'promptId' in e ? `${e.type} ${e.promptId}` : e.type));
    assert.deepEqual(after.filter((e) => e !== 'stats'), ['cancelling p0', 'prompt-cancelled p1', 'cancelling ', 'prompt-done p0', 'run-done']);
  });

  it('a bad input stops the run before any call and rejects with its error, after run-done', async () => {
    const world = new FakeWorld();
    const rows: AsyncIterable<PromptRow> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new ValidationError([{ file: 'in.jsonl', line: 2, path: 'prompt', message: 'must not be empty' }])) }),
    };
    const options = runOptions(world, makeConfig(), rows);
    await assert.rejects(runPrompts(options), /in\.jsonl:2: prompt: must not be empty/);
    assert.equal(world.calls.length, 0);
    assert.deepEqual(options.events.map((e) => e.type), ['run-start', 'stats', 'run-done']);
  });

  it('a cancel during the read of the input (its rows reject with the cancel\'s reason) ends the run cancelled, not stopped by an error', async () => {
    const world = new FakeWorld();
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    // As readPromptRows does when a cancel comes in its first pass, before any row.
    const rows: AsyncIterable<PromptRow> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          controller.abort(reason);
          return Promise.reject(reason);
        },
      }),
    };
    const options = runOptions(world, makeConfig(), rows, { signal: controller.signal });
    const summary = await runPrompts(options);
    assert.equal(summary.cancelled, true);
    assert.equal(world.calls.length, 0);
    const last = options.events.at(-1)!;
    assert.deepEqual(last.type === 'run-done' && [last.cancelled, last.stopped], [true, undefined], 'no error to report');
  });

  it('a cancel during the first pass over a big input file ends the run at once, before any row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'toa-scheduler-'));
    try {
      const file = join(dir, 'many.jsonl');
      await writeFile(file, Array.from({ length: 100_000 }, (_, i) => `{"id":"p${i}","prompt":"Say ${i}."}\n`).join(''));
      const input = { idField: 'id', referenceField: 'reference' };
      const run = async (cancelAfterMs?: number): Promise<{ ms: number; options: ReturnType<typeof runOptions>; summary: Awaited<ReturnType<typeof runPrompts>> }> => {
        const controller = new AbortController();
        const options = runOptions(new FakeWorld(), makeConfig({ strategy: 'best-of-n', budget: 1 }), readPromptRows(file, input, { signal: controller.signal }), { signal: controller.signal });
        // The whole run, to compare with: a cancel at its first prompt, once the first pass is over.
        options.onEvent = (e) => {
          options.events.push(e);
          if (e.type === 'prompt-queued') controller.abort(new Error('cancelled by user'));
        };
        const timer = cancelAfterMs === undefined ? undefined : setTimeout(() => controller.abort(new Error('cancelled by user')), cancelAfterMs);
        const started = Date.now();
        const summary = await runPrompts(options).finally(() => clearTimeout(timer));
        return { ms: Date.now() - started, options, summary };
      };
      const full = await run();
      const cut = await run(10);
      assert.equal(cut.summary.cancelled, true);
      assert.deepEqual(ofType(cut.options.events, 'prompt-queued'), [], 'no row was read');
      assert.ok(cut.ms < full.ms / 3, `the run ended ${cut.ms} ms after it began; the first pass takes ${full.ms} ms`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an output that cannot be written fails that prompt and stops the run', async () => {
    const world = new FakeWorld();
    const options = runOptions(world, makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 1 }), makeRows(5), {
      onTree: async (tree) => {
        if (tree.promptId === 'p1') throw new Error('ENOSPC: no space left on device');
      },
    });
    await assert.rejects(runPrompts(options), (error: unknown) => error instanceof OutputError && /ENOSPC/.test(error.message));
    assert.deepEqual(ofType(options.events, 'prompt-done').map((e) => e.promptId), ['p0']);
    assert.match(ofType(options.events, 'prompt-failed')[0]!.error, /could not save the outputs: ENOSPC/);
    assert.equal(world.calls.filter((c) => c.messages.at(-1)!.content.startsWith('Question 3')).length, 0);
    const last = options.events.at(-1)!;
    assert.equal(last.type === 'run-done' && last.cancelled, true);
  });

  it('an agent that cannot be reached and never answered stops the run at its first failure', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
    const down = new CallError('agent "gamma": gave up after 6 attempts: connection failed: connect ECONNREFUSED 127.0.0.1:9', 'gamma', { attempts: 6, unreachable: 'refused' });
    const agents = world.agents(config).map((a) => (a.name === 'gamma' ? { name: 'gamma', complete: async () => Promise.reject(down) } : a));
    const options = runOptions(world, config, makeRows(50), { agents });
    // Named by its config field and URL: several agents may share a server, or each have its own.
    const said = 'agent "gamma" cannot be reached at http://127.0.0.1:9/v1 (agents[2].baseURL) and has not answered once in this run (gave up after 6 attempts: connection failed: connect ECONNREFUSED 127.0.0.1:9). Check agents[2].baseURL, and that the server is running.';
    await assert.rejects(runPrompts(options), (error: unknown) => error instanceof EndpointDownError && error.message === said);
    assert.ok(ofType(options.events, 'prompt-queued').length < 10, 'the run stopped instead of failing all 50 prompts');
    const last = options.events.at(-1)!;
    assert.equal(last.type === 'run-done' && last.cancelled, true);
  });

  it('an agent whose endpoint refuses a request field stops the run at its first call, naming the field to change', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'ensemble', budget: 3, concurrency: 2 });
    const message = 'agents[2] (gamma): the endpoint does not accept temperature 0.7 for this model; set agents[2].temperature to 1 (or to null, to send none) (the server said: 400 ...)';
    const refused = new CallError(message, 'gamma', { attempts: 1, status: 400, refused: true });
    const agents = world.agents(config).map((a) => (a.name === 'gamma' ? { name: 'gamma', complete: async () => Promise.reject(refused) } : a));
    const options = runOptions(world, config, makeRows(50), { agents });
    await assert.rejects(runPrompts(options), (error: unknown) => error instanceof RequestRefusedError && error.message === `${message}. Every call with these settings would be refused, so the run stops.`);
    assert.ok(ofType(options.events, 'prompt-queued').length < 10, 'the run stopped instead of failing all 50 prompts');
    const last = options.events.at(-1)!;
    assert.equal(last.type === 'run-done' && last.stopped, `${message}. Every call with these settings would be refused, so the run stops.`);
  });

  it('a judge whose endpoint refuses a request field stops the run too', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 2 });
    const reward = { name: 'judge:gpt-5', score: async () => Promise.reject(new RewardError('reward (judge): the endpoint does not accept temperature 0 for this model; set reward.temperature to 1', 'judge', { refused: true })) };
    await assert.rejects(runPrompts(runOptions(world, config, makeRows(20), { reward })), /^RequestRefusedError: reward \(judge\): the endpoint does not accept temperature 0 for this model; set reward\.temperature to 1\. Every call/);
    assert.ok(world.calls.length < 20, `${world.calls.length} model calls before the run stopped`);
  });

  it('an agent that answered before and then cannot be reached fails only its prompts', async () => {
    const world = new FakeWorld();
    const config = makeConfig({ strategy: 'best-of-n', budget: 1, concurrency: 1 });
    let calls = 0;
    const flaky = (a: ChatAgent): ChatAgent => ({
      name: a.name,
      complete: (messages, signal) => (++calls === 2 ? Promise.reject(new CallError('agent "alpha": connection failed', 'alpha', { attempts: 6, unreachable: 'refused' })) : a.complete(messages, signal)),
    });
    const options = runOptions(world, config, makeRows(4), { agents: world.agents(config).map(flaky) });
    const summary = await runPrompts(options);
    assert.deepEqual([summary.totals.done, summary.totals.failed, summary.cancelled], [3, 1, false]);
  });

  it('a reward endpoint that cannot be reached and never answered stops the run, naming the field that sets its URL', async () => {
    const down = (provider: string): RewardModel => ({ name: provider, score: async () => Promise.reject(new RewardError(`reward ${provider}: gave up after 6 attempts: connection failed: getaddrinfo ENOTFOUND scorer.example`, provider, { unreachable: 'no-host' })) });
    const rewards: Array<[RewardConfig, string]> = [
      [{ type: 'vllm', baseURL: 'http://scorer.example:8001', model: 'rm', endpoint: 'classify', timeoutMs: 1000 }, 'the reward endpoint (vllm) cannot be reached at http://scorer.example:8001 (reward.baseURL)'],
      [{ type: 'judge', baseURL: 'http://scorer.example/v1', model: 'j', min: 1, max: 10, temperature: 0, max_tokens: 100, timeoutMs: 1000 }, 'the reward endpoint (judge) cannot be reached at http://scorer.example/v1 (reward.baseURL)'],
      // A key in the query is not shown.
      [{ type: 'http', url: 'http://scorer.example/score?key=s3cret', headers: {}, bodyTemplate: {}, scorePath: '$.score', apiKeyHeader: 'Authorization', timeoutMs: 1000 }, 'the reward endpoint (http) cannot be reached at http://scorer.example/score?key=… (reward.url)'],
    ];
    for (const [rewardConfig, said] of rewards) {
      const world = new FakeWorld();
      const config = { ...makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 2 }), reward: rewardConfig };
      const field = said.match(/\((reward\.\w+)\)$/)![1];
      await assert.rejects(runPrompts(runOptions(world, config, makeRows(20), { reward: down(rewardConfig.type) })), (error: unknown) => {
        assert.ok(error instanceof EndpointDownError);
        assert.equal(error.message, `${said} and has not answered once in this run (gave up after 6 attempts: connection failed: getaddrinfo ENOTFOUND scorer.example). Check the host name in ${field}, and this machine's network and DNS.`);
        return true;
      });
    }
  });

  it('an HTTP reward that cannot be reached shows its URL once, beside the field that sets it', async () => {
    const closed = await closedPort();
    const noWait = { now: () => 0, sleep: async () => undefined };
    const rewards: Array<[RewardConfig, string]> = [
      [{ type: 'vllm', baseURL: `http://127.0.0.1:${closed}`, model: 'rm', endpoint: 'classify', timeoutMs: 1000 }, 'reward.baseURL'],
      [{ type: 'http', url: `http://127.0.0.1:${closed}/score`, headers: {}, bodyTemplate: {}, scorePath: '$.score', apiKeyHeader: 'Authorization', timeoutMs: 1000 }, 'reward.url'],
    ];
    for (const [rewardConfig, field] of rewards) {
      const config = { ...makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 1 }), reward: rewardConfig };
      const reward = createReward(rewardConfig, { task: 'instruction', clock: noWait });
      await assert.rejects(runPrompts(runOptions(new FakeWorld(), config, makeRows(3), { reward })), (error: unknown) => {
        assert.ok(error instanceof EndpointDownError);
        assert.equal(error.message.split(`http://127.0.0.1:${closed}`).length - 1, 1, error.message);
        assert.match(error.message, new RegExp(String.raw`cannot be reached at http://127\.0\.0\.1:${closed}\S* \(${field.replace('.', '\\.')}\) and has not answered once in this run \(gave up after 6 attempts: connection failed: connect ECONNREFUSED 127\.0\.0\.1:${closed}\)\. Check ${field.replace('.', '\\.')}, and`));
        return true;
      });
    }
  });

  it('a reward command that cannot be started stops the run at once, saying what to check', async () => {
    const world = new FakeWorld();
    const command: RewardConfig = { type: 'command', command: ['/nonexistent/scorer.py'], timeoutMs: 5000 };
    const config = { ...makeConfig({ strategy: 'best-of-n', budget: 2, concurrency: 2 }), reward: command };
    const reward = createReward(command, { task: 'instruction' });
    await assert.rejects(runPrompts(runOptions(world, config, makeRows(20), { reward })), (error: unknown) => {
      assert.ok(error instanceof EndpointDownError);
      assert.match(error.message, /^the reward command cannot be reached and has not answered once in this run \(cannot run \/nonexistent\/scorer\.py: spawn \/nonexistent\/scorer\.py ENOENT\)\. Check reward\.command: /);
      return true;
    });
    assert.ok(world.calls.length < 20, `${world.calls.length} model calls before the run stopped: it went on prompt after prompt`);
  });

  it('rejects agents that do not match the config', async () => {
    const world = new FakeWorld();
    const config = makeConfig();
    const options = runOptions(world, config, makeRows(1), { agents: world.agents(config).reverse() });
    await assert.rejects(runPrompts(options), /must match config\.agents in order/);
  });
});

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
