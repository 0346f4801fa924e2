import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPrompts } from '../../../src/core/run';
import { PanelChannel } from '../../../src/extension/panel/panel-channel';
import { applyHostMessage, emptySnapshot } from '../../../src/shared/panel-state';
import type { RunEvent } from '../../../src/shared/events';
import type { HostToWebview, PanelSnapshot } from '../../../src/shared/protocol';
import { STRATEGIES, type SearchTree } from '../../../src/shared/tree';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';
import { FakeWorld, makeConfig, makeRows, runOptions } from '../run/fakes';
import { manualTimers } from './manual-timers';

/**
 * What the host sends the panel while runs go on. The panel builds each tree from node-added and
 * play-done; a tree sent again whole with each prompt-done, or with each run's settings, doubled
 * the traffic (and the webview's work parsing it) for nothing.
 */

const SETTINGS = { autoAcceptAbove: null, outputs: { sft: 'data/sft.jsonl', preference: 'p', trace: 't' }, endpoints: 'simulator' as const };

interface Webview {
  channel: PanelChannel;
  sent: HostToWebview[];
  timers: ReturnType<typeof manualTimers>;
  /** The webview's snapshot, folded from everything it was sent. */
  view(): PanelSnapshot;
}

function readyWebview(): Webview {
  const timers = manualTimers();
  const channel = new PanelChannel({ timers });
  const sent: HostToWebview[] = [];
  channel.attach((m) => sent.push(structuredClone(m)));
  channel.receive({ type: 'ready' });
  let view = emptySnapshot();
  let folded = 0;
  return {
    channel, sent, timers,
    view: () => {
      // A copy: the view grows in place, and `sent` keeps what was sent.
      for (; folded < sent.length; folded++) view = applyHostMessage(view, structuredClone(sent[folded]!));
      return view;
    },
  };
}

const bytes = (value: unknown): number => JSON.stringify(value).length;

function finalTrees(events: readonly RunEvent[]): Map<string, SearchTree> {
  return new Map(events.flatMap((e) => (e.type === 'prompt-done' ? [[e.promptId, e.tree] as const] : [])));
}

function promptDones(sent: readonly HostToWebview[]): { promptId: string; tree?: SearchTree }[] {
  return sent.flatMap((m) => (m.type === 'events' ? m.events.flatMap((e) => (e.type === 'prompt-done' ? [e] : [])) : []));
}

test('two runs of 20 prompts at budget 40: each tree crosses once, as its nodes and plays', () => {
  const w = readyWebview();
  const runs = [fakeRunEvents({ prompts: 20, budget: 40, seed: 3, runId: 'r1' }), fakeRunEvents({ prompts: 20, budget: 40, seed: 4, runId: 'r2' })];
  // The tree's own data: what the panel cannot do without.
  const live = runs.flat().filter((e) => e.type === 'node-added' || e.type === 'play-done').reduce((n, e) => n + bytes(e), 0);
  for (const events of runs) {
    // As the run controller does before each run; the last run's trees are in the snapshot.
    w.channel.configure(SETTINGS);
    // A steady search: 25 events every 50 ms.
    events.forEach((e, i) => {
      w.channel.pushEvent(e);
      if (i % 25 === 24) w.timers.advance(50);
    });
    w.timers.advance(200);
    // Every tree is shown right, with every node and reward, without being sent again.
    for (const [promptId, tree] of finalTrees(events)) assert.deepEqual(w.view().trees[promptId], tree, promptId);
  }
  const dones = promptDones(w.sent);
  assert.equal(dones.length, 40);
  assert.deepEqual(dones.filter((e) => e.tree !== undefined).map((e) => e.promptId), [], 'prompt-done carries no tree the panel built');
  const total = w.sent.reduce((n, m) => n + bytes(m), 0);
  // The first snapshot (answering ready), settings, run events and statuses: 10% over the trees.
  assert.ok(total <= 1.1 * live, `sent ${total} bytes for ${live} bytes of nodes and plays (${(total / live).toFixed(2)}x)`);
  // One message per EVENTS_INTERVAL_MS at most: 50 events each here.
  const events = runs.flat().length;
  assert.ok(w.sent.length <= events / 50 + 8, `${w.sent.length} messages for ${events} events`);
});

test('every strategy of the core: the tree the panel builds is the final one, so prompt-done goes without it', async () => {
  for (const strategy of STRATEGIES) {
    const w = readyWebview();
    const options = runOptions(new FakeWorld(), makeConfig({ strategy, budget: 7 }), makeRows(3));
    await runPrompts({ ...options, onEvent: (e) => (options.events.push(e), w.channel.pushEvent(e)) });
    w.timers.advance(100);
    const trees = finalTrees(options.events);
    assert.equal(trees.size, 3, strategy);
    for (const [promptId, tree] of trees) assert.deepEqual(w.view().trees[promptId], JSON.parse(JSON.stringify(tree)), `${strategy} ${promptId}`);
    assert.deepEqual(promptDones(w.sent).filter((e) => e.tree !== undefined).map((e) => e.promptId), [], strategy);
  }
});

test('a tree the panel does not hold, or holds otherwise, comes with its prompt-done (Show tree)', () => {
  const w = readyWebview();
  const [first, second] = [...finalTrees(fakeRunEvents({ prompts: 2, budget: 6 })).values()] as [SearchTree, SearchTree];
  const best = { nodeId: 1, agent: 'a', text: 'x', reward: 0.5, layer: 2, parentResponse: null, sources: [], play: 1 };
  w.channel.pushEvent({ type: 'prompt-queued', promptId: 'from-trace', preview: 'a prompt of an earlier run' });
  w.channel.pushEvent({ type: 'prompt-done', promptId: 'from-trace', tree: { ...first, promptId: 'from-trace' }, best });
  // The same id again, another search of it: the panel's copy is not this tree.
  w.channel.pushEvent({ type: 'prompt-done', promptId: 'from-trace', tree: { ...second, promptId: 'from-trace' }, best });
  w.timers.advance(100);
  assert.deepEqual(promptDones(w.sent).map((e) => e.tree !== undefined), [true, true]);
  assert.deepEqual(w.view().trees['from-trace'], { ...second, promptId: 'from-trace' });
  assert.equal(w.view().prompts[0]?.bestReward, 0.5);
});

/** The webview reloads (a hidden panel shown again) and posts ready, naming the prompt it shows. */
function reveal(w: Webview, promptId?: string): Extract<HostToWebview, { type: 'snapshot' }> {
  w.channel.detach();
  w.sent.length = 0;
  w.channel.attach((m) => w.sent.push(structuredClone(m)));
  w.channel.receive(promptId === undefined ? { type: 'ready' } : { type: 'ready', promptId });
  const snapshot = w.sent.find((m) => m.type === 'snapshot');
  assert.ok(snapshot?.type === 'snapshot', 'ready is answered with a snapshot');
  return snapshot;
}

test('a reveal sends the trees on screen and the live ones, not the whole run: the others come when the panel shows them', () => {
  const w = readyWebview();
  const events = fakeRunEvents({ prompts: 60, budget: 160, seed: 7 });
  const trees = finalTrees(events);
  const treeBytes = Math.max(...[...trees.values()].map(bytes));
  // Mid-run: the prompts being searched then keep growing in the reloaded page.
  const midRun = events.findIndex((e) => e.type === 'prompt-done' && e.promptId === 'p30');
  events.slice(0, midRun + 1).forEach((e) => w.channel.pushEvent(e));
  const live = w.channel.snapshot.prompts.filter((p) => p.status === 'searching').map((p) => p.id);
  const mid = reveal(w, 'p5').snapshot;
  assert.deepEqual(Object.keys(mid.trees).sort(), ['p30', 'p5', ...live].sort(), 'the prompt shown, the last finished, the live ones');
  assert.equal(mid.unsentTrees?.length, 30 - 2);

  events.slice(midRun + 1).forEach((e) => w.channel.pushEvent(e));
  w.timers.advance(200);
  const whole = bytes({ type: 'snapshot', snapshot: w.channel.snapshot });
  const sent = reveal(w, 'p5');
  const sentBytes = bytes(sent);
  // Before: every tree, 60 of them (500 at most). Now the prompt shown and the last one, and the rest.
  assert.ok(sentBytes <= 2 * treeBytes + 20_000, `a reveal sent ${sentBytes} bytes; the whole snapshot is ${whole}, a tree up to ${treeBytes}`);
  assert.deepEqual(Object.keys(sent.snapshot.trees).sort(), ['p5', 'p60']);
  assert.deepEqual(w.view().trees.p5, trees.get('p5'));

  // The user opens another prompt: the panel asks, and gets that tree alone.
  w.channel.receive({ type: 'tree-request', runId: sent.snapshot.runId!, promptId: 'p12' });
  const answer = w.sent.at(-1);
  assert.deepEqual(answer, { type: 'tree', runId: sent.snapshot.runId, promptId: 'p12', tree: trees.get('p12') });
  assert.deepEqual(w.view().trees.p12, trees.get('p12'));
  assert.equal(w.view().unsentTrees?.includes('p12'), false);
  // An answer for a run no longer shown, or a tree no longer held, brings none.
  w.channel.receive({ type: 'tree-request', runId: 'another-run', promptId: 'p13' });
  assert.deepEqual(w.sent.at(-1), { type: 'tree', runId: 'another-run', promptId: 'p13', tree: null });
  assert.equal(w.view().trees.p13, undefined);
});

test('Show tree of a prompt whose tree the reveal left out: its prompt-done, without the tree the host holds, leaves it to be asked for, not empty', () => {
  const w = readyWebview();
  const events = fakeRunEvents({ prompts: 4, budget: 6, seed: 2 });
  events.forEach((e) => w.channel.pushEvent(e));
  reveal(w);
  const view = w.view();
  assert.deepEqual(view.unsentTrees, ['p1', 'p2', 'p3']);
  const done = events.find((e) => e.type === 'prompt-done' && e.promptId === 'p2')!;
  w.channel.pushEvent(done);
  w.channel.post({ type: 'select-prompt', promptId: 'p2' });
  assert.equal(promptDones(w.sent).at(-1)?.tree, undefined, 'the host holds that very tree');
  assert.equal(w.view().trees.p2, undefined, 'no empty tree in its place');
  assert.deepEqual(w.view().unsentTrees, ['p1', 'p2', 'p3']);
  w.channel.receive({ type: 'tree-request', runId: view.runId!, promptId: 'p2' });
  assert.deepEqual(w.view().trees.p2, finalTrees(events).get('p2'));
});
