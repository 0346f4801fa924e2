import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSim, type SimServer } from '../../../src/sim';
import { clientFor } from './helpers';

/** Polls `check` every 10 ms, for at most 2 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const ask = (sim: SimServer, signal?: AbortSignal): Promise<unknown> =>
  clientFor(sim).chat.completions.create({ model: 'sim-large', messages: [{ role: 'user', content: 'hello' }] }, { signal });

describe('sim lifecycle and counters', () => {
  it('counts requests, in-flight calls and client aborts', async () => {
    const sim = await startSim({ latencyMs: 300, rewardLatencyMs: 300 });
    try {
      const controller = new AbortController();
      const aborted = ask(sim, controller.signal).catch((err: unknown) => err);
      const finished = ask(sim);
      const reward = fetch(`${sim.url}/pooling`, { method: 'POST', body: JSON.stringify({ model: sim.rewardModel, input: 'x' }) });
      await eventually(() => sim.counters().inFlight === 3, 'three calls in flight');
      controller.abort();
      await aborted;
      await eventually(() => sim.counters().aborted === 1, 'the abort to be seen');
      await Promise.all([finished, reward]);
      await eventually(() => sim.counters().inFlight === 0, 'nothing in flight');
      const counters = sim.counters();
      assert.equal(counters.chatRequests, 2);
      assert.equal(counters.rewardRequests, 1);
      assert.equal(counters.aborted, 1);
      const remote = (await (await fetch(`${sim.url}/sim/counters`)).json()) as typeof counters;
      assert.deepEqual(remote, counters, 'control calls are not counted');
    } finally {
      await sim.close();
    }
  });

  it('close() ends pending replies and releases the port', async () => {
    const sim = await startSim({ latencyMs: 30_000 });
    const pending = ask(sim).then(
      () => 'answered',
      () => 'failed',
    );
    await eventually(() => sim.counters().inFlight === 1, 'the call to arrive');
    const started = Date.now();
    await sim.close();
    assert.ok(Date.now() - started < 1000, 'close did not wait for the latency');
    assert.equal(await pending, 'failed');
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(sim.port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('binds 127.0.0.1 on the port asked for', async () => {
    const first = await startSim();
    const port = first.port;
    await first.close();
    const sim = await startSim({ port });
    try {
      assert.equal(sim.url, `http://127.0.0.1:${port}`);
      await assert.rejects(startSim({ port }), /EADDRINUSE/);
    } finally {
      await sim.close();
    }
  });

  it('does not keep the process alive after close()', async () => {
    const script = join(__dirname, 'fixtures', 'close-exits.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // Well under the 60 s the sim's waits would hold it, and room for a loaded machine, where
    // starting node with tsx alone can take seconds (10 s was seen to fall short).
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    assert.equal(code, 0, out);
    assert.match(out, /closed/);
  });
});
