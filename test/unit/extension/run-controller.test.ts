import { fileUri, shownMessages, user } from './vscode-stub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig, STRATEGIES, type PromptRow, type SliceOptions } from '../../../src/core';
import type { RunConfig } from '../../../src/extension/config-source';
import { PanelChannel } from '../../../src/extension/panel/panel-channel';
import { RunController, type RunControllerDeps, type RunRequest } from '../../../src/extension/run-controller';
import { SIM_REWARD_MODEL, startSim, type SimServer } from '../../../src/sim';

/** A run whose rows are read until `read` is called (or a cancel ends the read): it stays in its setup till then. */
function pendingRun(): { request: RunRequest; signal(): AbortSignal; read(rows: PromptRow[]): void } {
  let signal: AbortSignal | undefined;
  let read: (rows: PromptRow[]) => void = () => undefined;
  const rows = (slices: SliceOptions): Promise<PromptRow[]> => {
    signal = slices.signal;
    return new Promise((resolve, reject) => {
      read = resolve;
      signal!.addEventListener('abort', () => reject(signal!.reason as Error));
    });
  };
  const request = { rows, config: {}, source: 'prompts.jsonl' } as unknown as RunRequest;
  return { request, signal: () => signal!, read: (r) => read(r) };
}

function controller(): RunController {
  const panel = { snapshot: {}, post: () => undefined };
  const deps = { panel: () => panel, showPanel: () => panel, status: { preparing: () => undefined, setupEnded: () => undefined } };
  return new RunController(deps as unknown as RunControllerDeps);
}

/** Lets the runs' awaits go on. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test("Cancel It on the warning about a busy run cancels that run, not the one started after it ended", async () => {
  const runs = controller();
  const first = pendingRun();
  const firstRun = runs.run(first.request);
  await settle();
  // A second run is asked for: refused, with the warning the user leaves up for a while.
  let choose: (choice: string | undefined) => void = () => undefined;
  user.answer = (message) => (message.includes('already in progress') ? new Promise((resolve) => (choose = resolve)) : Promise.resolve(undefined));
  const refused = runs.run(pendingRun().request);
  await settle();
  first.read([]); // the first run ends (no prompts)
  assert.equal(await firstRun, undefined);
  const next = pendingRun();
  const nextRun = runs.run(next.request);
  await settle();

  choose('Cancel It');
  assert.equal(await refused, undefined);
  assert.equal(next.signal().aborted, false, 'the warning was about the run before');

  runs.cancelShown('the-run-before');
  assert.equal(next.signal().aborted, false, "the panel's Cancel run about a run that has ended cancels nothing");
  runs.cancelShown(null);
  assert.equal(next.signal().aborted, true, "the panel's Cancel run during a setup cancels it");
  assert.equal(await nextRun, undefined);
});

test("a comparison's flat reward is one notification, and every strategy's run in the panel lists it", async () => {
  // Reward scale 0: the simulated reward model scores every answer 0.
  const sim = await startSim({ rewardScale: 0 });
  try {
    const channel = new PanelChannel();
    const runs = new RunController(comparisonDeps(channel, simulatorRun(sim)));
    const from = shownMessages.length;
    const rows: PromptRow[] = ['p1', 'p2', 'p3'].map((id) => ({ id, messages: [{ role: 'user', content: `Describe ${id}.` }] }));
    const result = await runs.run({ rows: () => Promise.resolve(rows), config: {}, source: 'prompts.jsonl', compare: true } as unknown as RunRequest);
    assert.deepEqual(result?.compare?.map((r) => r.strategy), [...STRATEGIES]);
    const flat = shownMessages.slice(from).filter((m) => m.includes('got the same reward'));
    assert.equal(flat.length, 1, `one notification for the comparison: ${flat.join(' | ')}`);
    for (const strategy of STRATEGIES) {
      assert.equal(channel.showStrategy(strategy), true, strategy);
      assert.deepEqual(channel.snapshot.warnings?.map((w) => w.code), ['flat-reward'], `${strategy}'s run lists the warning`);
    }
  } finally {
    await sim.close();
  }
});

/** A run on the simulator's agents and reward model, with a budget small enough for six strategies. */
function simulatorRun(sim: SimServer): RunConfig {
  const agents = ['sim-large', 'sim-small', 'sim-refiner'].map((model) => ({ name: model, baseURL: `${sim.url}/v1`, model }));
  const config = parseConfig({ agents, reward: { type: 'vllm', baseURL: sim.url, model: SIM_REWARD_MODEL }, search: { budget: 4, seed: 1 } });
  const out = (name: string): ReturnType<typeof fileUri> => fileUri(`/nowhere/${name}.jsonl`);
  return { config, endpoints: 'simulator', folder: { uri: fileUri('/nowhere') }, outputs: { sft: out('sft'), preference: out('preference'), trace: out('trace') }, outputFields: {} } as unknown as RunConfig;
}

/** What a comparison reaches: the config resolved to `run`, the panel's channel, and quiet stand-ins for the rest. */
function comparisonDeps(channel: PanelChannel, run: RunConfig): RunControllerDeps {
  const quiet = (): undefined => undefined;
  return {
    configs: { resolve: () => Promise.resolve(run) },
    panel: () => channel,
    showPanel: () => channel,
    curation: { rememberRun: quiet },
    status: { preparing: quiet, setupEnded: quiet, onEvent: quiet },
    log: { info: quiet, warn: quiet, error: quiet },
  } as unknown as RunControllerDeps;
}
