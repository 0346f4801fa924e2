import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBatcher } from '../../../src/extension/panel/event-batcher';
import { PanelChannel, persistableSnapshot, restoredSnapshot } from '../../../src/extension/panel/panel-channel';
import { applyHostMessage, emptySnapshot, findPrompt } from '../../../src/shared/panel-state';
import { countPrompts } from '../../../src/shared/prompt-counts';
import { lastRunOf } from '../../../src/extension/status-text';
import type { CompareRow, HostToWebview, PanelSnapshot } from '../../../src/shared/protocol';
import type { SearchTree, StrategyName } from '../../../src/shared/tree';
import { isWebviewToHost } from '../../../src/shared/protocol';
import type { RunEvent } from '../../../src/shared/events';
import { fakeRunEvents, resumedRunEvents } from '../../ui/fixtures/fake-run';
import { manualTimers } from './manual-timers';

test('the batcher sends at most one batch per interval, the first one at once', () => {
  const timers = manualTimers();
  const batches: number[][] = [];
  const b = new EventBatcher<number>((items) => batches.push(items), 50, timers);
  b.push(1);
  timers.advance(0);
  b.push(2);
  b.push(3);
  timers.advance(49);
  assert.deepEqual(batches, [[1]]);
  timers.advance(1);
  assert.deepEqual(batches, [[1], [2, 3]]);
  b.push(4);
  b.discard();
  timers.advance(500);
  assert.deepEqual(batches, [[1], [2, 3]]);
});

function channelWithWebview(timers = manualTimers()): { channel: PanelChannel; sent: HostToWebview[]; timers: ReturnType<typeof manualTimers> } {
  const channel = new PanelChannel({ timers });
  const sent: HostToWebview[] = [];
  // postMessage copies at send time; so does this fake webview.
  channel.attach((m) => sent.push(structuredClone(m)));
  return { channel, sent, timers };
}

test('nothing is sent before ready; ready gets the whole snapshot, then queued notices', () => {
  const { channel, sent, timers } = channelWithWebview();
  const events = fakeRunEvents({ prompts: 2, budget: 5 });
  for (const e of events.slice(0, 20)) channel.pushEvent(e);
  channel.post({ type: 'prompt-status', promptId: 'p1', status: 'accepted' });
  channel.post({ type: 'notice', level: 'info', message: 'hello' });
  timers.advance(1000);
  assert.equal(sent.length, 0);
  assert.equal(channel.receive({ type: 'ready' }), undefined);
  assert.deepEqual(sent.map((m) => m.type), ['snapshot', 'notice']);
  const first = sent[0] as Extract<HostToWebview, { type: 'snapshot' }>;
  assert.equal(first.snapshot.prompts.find((p) => p.id === 'p1')?.status, 'accepted');
});

test('a webview that replays what it receives ends with the host snapshot', () => {
  const { channel, sent, timers } = channelWithWebview();
  const events = fakeRunEvents({ prompts: 3, budget: 12, seed: 5 });
  let view: PanelSnapshot = emptySnapshot();
  const replay = (): void => {
    for (const m of sent.splice(0)) view = applyHostMessage(view, m);
  };
  events.forEach((e, i) => {
    channel.pushEvent(e);
    if (i === 30) channel.receive({ type: 'ready' }); // the webview loads mid-run
    if (i === 60) channel.attach((m) => sent.push(structuredClone(m))); // hidden: its page is gone ...
    if (i === 70) channel.receive({ type: 'ready' }); // ... and reloaded
    if (i % 7 === 0) timers.advance(20);
  });
  timers.advance(100);
  replay();
  assert.ok(view.unsentTrees?.length, 'the finished trees off screen were left out of the second snapshot');
  // Each one the panel shows, it asks for.
  for (const promptId of view.unsentTrees) channel.receive({ type: 'tree-request', runId: view.runId, promptId });
  replay();
  assert.deepEqual(view, JSON.parse(JSON.stringify(channel.snapshot)));
});

test('events are batched and a later message never overtakes them', () => {
  const { channel, sent, timers } = channelWithWebview();
  channel.receive({ type: 'ready' });
  sent.length = 0;
  const events: RunEvent[] = fakeRunEvents({ prompts: 1, budget: 3 }).slice(0, 6);
  channel.pushEvent(events[0]!);
  timers.advance(0);
  for (const e of events.slice(1)) channel.pushEvent(e);
  channel.post({ type: 'select-prompt', promptId: 'p1' });
  timers.advance(200);
  assert.deepEqual(sent.map((m) => m.type), ['events', 'events', 'select-prompt']);
  const delivered = sent.flatMap((m) => (m.type === 'events' ? m.events : []));
  assert.deepEqual(delivered, events);
});

test('receive validates messages and remembers the auto-accept threshold', () => {
  const { channel } = channelWithWebview();
  assert.equal(channel.receive({ type: 'accept', runId: 'r', promptId: 'p', nodeId: -1 }), undefined);
  assert.equal(channel.receive({ type: 'accept', runId: 'r', promptId: 3, nodeId: 1 }), undefined);
  assert.equal(channel.receive({ type: 'accept', promptId: 'p', nodeId: 1 }), undefined, 'a decision names its run');
  assert.equal(channel.receive('accept'), undefined);
  assert.deepEqual(channel.receive({ type: 'accept', runId: 'r', promptId: 'p', nodeId: 4, text: 'edited' }), { type: 'accept', runId: 'r', promptId: 'p', nodeId: 4, text: 'edited' });
  assert.deepEqual(channel.receive({ type: 'set-auto-accept', threshold: 0.7 }), { type: 'set-auto-accept', threshold: 0.7 });
  assert.equal(channel.snapshot.autoAcceptAbove, 0.7);
});

test('isWebviewToHost accepts every well-formed message and rejects malformed ones', () => {
  const good = [
    { type: 'ready' }, { type: 'cancel', runId: 'r' }, { type: 'cancel', runId: null }, { type: 'reject', runId: 'r', promptId: 'a' }, { type: 'accept', runId: 'r', promptId: 'a', nodeId: 0 },
    { type: 'preference', runId: 'r', promptId: 'a', chosen: 3, rejected: 9 }, { type: 'set-auto-accept', threshold: null },
    { type: 'show-strategy', strategy: 'sequential' },
  ];
  const bad = [
    null, 1, {}, { type: 'nope' }, { type: 'reject' }, { type: 'reject', promptId: 'a' }, { type: 'accept', runId: 'r', promptId: 'a', nodeId: 1.5 },
    { type: 'accept', runId: 'r', promptId: 'a', nodeId: 1, text: 5 }, { type: 'preference', runId: 'r', promptId: 'a', chosen: 1 },
    { type: 'set-auto-accept', threshold: 'high' }, { type: 'set-auto-accept', threshold: Infinity },
    { type: 'show-strategy', strategy: 'beam' }, { type: 'show-strategy' }, { type: 'cancel' }, { type: 'cancel', runId: 7 },
  ];
  for (const m of good) assert.equal(isWebviewToHost(m), true, JSON.stringify(m));
  for (const m of bad) assert.equal(isWebviewToHost(m), false, JSON.stringify(m));
});

test('configure updates the snapshot; a ready webview gets the settings, not the run with its trees again', () => {
  const { channel, sent, timers } = channelWithWebview();
  channel.configure({ autoAcceptAbove: 0.4 });
  assert.equal(sent.length, 0);
  channel.receive({ type: 'ready' });
  for (const e of fakeRunEvents({ prompts: 3, budget: 12 })) channel.pushEvent(e);
  timers.advance(100);
  let view: PanelSnapshot = emptySnapshot();
  for (const m of sent.splice(0)) view = applyHostMessage(view, m);
  // As each run starts: the last run's trees are in the snapshot.
  channel.configure({ outputs: { sft: 'data/sft.jsonl', preference: 'p', trace: 't' }, endpoints: 'simulator' });
  assert.deepEqual(sent, [{ type: 'settings', settings: { outputs: { sft: 'data/sft.jsonl', preference: 'p', trace: 't' }, endpoints: 'simulator' } }]);
  view = applyHostMessage(view, sent[0]!);
  assert.deepEqual([view.autoAcceptAbove, view.outputs.sft, view.endpoints], [0.4, 'data/sft.jsonl', 'simulator']);
  assert.deepEqual(view, JSON.parse(JSON.stringify(channel.snapshot)));
});

test('a comparison tells the panel it runs; its rows end that, and a saved snapshot never says it runs', () => {
  const channel = new PanelChannel();
  const sent: HostToWebview[] = [];
  channel.attach((m) => sent.push(m));
  channel.receive({ type: 'ready' });
  channel.beginCompare();
  assert.deepEqual(sent.at(-1), { type: 'compare-start' });
  assert.equal(channel.snapshot.comparing, true);
  assert.equal(persistableSnapshot(channel.snapshot, 5, 1000).comparing, undefined);
  channel.endCompare([]);
  assert.equal(channel.snapshot.comparing, undefined);
});

test('persistableSnapshot keeps the newest trees and is never running', () => {
  const channel = new PanelChannel();
  for (const e of fakeRunEvents({ prompts: 5, budget: 3 }).filter((e) => e.type !== 'run-done')) channel.pushEvent(e);
  const kept = persistableSnapshot(channel.snapshot, 2, 1000);
  assert.deepEqual(Object.keys(kept.trees), ['p4', 'p5']);
  assert.equal(kept.running, false);
  assert.equal(channel.snapshot.running, true);
});

test('persistableSnapshot lists the newest prompts and those of the trees it keeps, and sums up the others for the counts', () => {
  // 200 prompts, the first 20 skipped by resume; the run was cut short while p200 was searched.
  const skipped = Array.from({ length: 20 }, (_, i) => `p${i + 1}`);
  const events = resumedRunEvents(skipped, { prompts: 200, budget: 2 });
  const channel = new PanelChannel();
  for (const e of events.slice(0, events.findIndex((e) => e.type === 'prompt-done' && e.promptId === 'p200'))) channel.pushEvent(e);
  const full = channel.snapshot;
  const countsOf = (s: PanelSnapshot) => countPrompts(s.prompts, s.inputPrompts, s.promptsLeftOut);

  const saved = JSON.parse(JSON.stringify(persistableSnapshot(full, 3, 2))) as PanelSnapshot;
  // p200's tree is the live one: the trees kept are p198's to p200's.
  assert.deepEqual(saved.prompts.map((p) => p.id), ['p198', 'p199', 'p200'], "the newest two, and the kept trees' prompt before them");
  assert.deepEqual(saved.promptsLeftOut, { searched: 177, finished: 177, skipped: 20, plays: 177 * 2 });
  assert.deepEqual(countsOf(saved), countsOf(full), 'the header and the status bar count what the run did');

  // The reloaded panel shows the trees kept, each on its prompt, and a decision finds its status.
  const reloaded = restoredSnapshot(saved);
  assert.deepEqual(Object.keys(reloaded.trees), ['p198', 'p199', 'p200']);
  assert.deepEqual(['p198', 'p199', 'p200'].map((id) => findPrompt(reloaded, id)?.status), ['done', 'done', 'cancelled'], 'p200 cut short by the reload');
  assert.deepEqual(countsOf(reloaded), countsOf(full));
  assert.deepEqual(lastRunOf(reloaded)?.counts, countsOf(full), 'the status bar after the reload');
  // Saved again after the reload (a decision on it): the prompts left out before stay counted.
  const again = persistableSnapshot(new PanelChannel({ snapshot: reloaded }).snapshot, 3, 2);
  assert.deepEqual(countsOf(again), countsOf(reloaded));
  assert.deepEqual(again.prompts.map((p) => p.id), ['p198', 'p199', 'p200']);
  // The next run starts with none left out.
  const next = new PanelChannel({ snapshot: reloaded });
  next.pushEvent({ type: 'run-start', runId: 'run-2', strategy: 'toa', budget: 2, agents: ['a'] });
  assert.equal(next.snapshot.promptsLeftOut, undefined);
});

test('persistableSnapshot keeps the newest trees also when prompt ids look like integers (an object lists those keys first)', () => {
  // Dataset ids 50, 40, ... 10 in run order: as object keys they list in numeric order, 10 first.
  const rename = (id: string): string => String(60 - Number(id.slice(1)) * 10);
  const channel = new PanelChannel();
  for (const e of fakeRunEvents({ prompts: 5, budget: 3 }).filter((e) => e.type !== 'run-done')) {
    channel.pushEvent('promptId' in e ? ({ ...e, promptId: rename(e.promptId), ...('tree' in e && e.tree ? { tree: { ...e.tree, promptId: rename(e.promptId) } } : {}) } as typeof e) : e);
  }
  assert.deepEqual(Object.keys(channel.snapshot.trees), ['10', '20', '30', '40', '50']);
  assert.deepEqual(Object.keys(persistableSnapshot(channel.snapshot, 2, 1000).trees), ['10', '20'], 'the last two prompts of the run');
});

test('a snapshot saved mid-run comes back with its unfinished prompts interrupted, not searching', () => {
  const events = fakeRunEvents({ prompts: 3, budget: 3 });
  const channel = new PanelChannel();
  // Cut after the second prompt started: p1 done, p2 searching, p3 waiting.
  const cut = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p2') + 1;
  for (const e of events.slice(0, cut)) channel.pushEvent(e);
  const restored = restoredSnapshot(persistableSnapshot(channel.snapshot, 10, 1000));
  assert.deepEqual(restored.prompts.map((p) => [p.id, p.status]), [['p1', 'done'], ['p2', 'cancelled'], ['p3', 'cancelled']]);
  assert.match(restored.prompts[1]!.reason!, /^interrupted/);
  assert.equal(restored.running, false);
  assert.equal(restored.outcome, 'interrupted', 'the header does not call a run cut short finished');
});

test('a snapshot saved after its run ended keeps its outcome, and one from before outcomes existed gets none', () => {
  const channel = new PanelChannel();
  for (const e of fakeRunEvents({ prompts: 2, budget: 3 })) channel.pushEvent(e);
  const saved = persistableSnapshot(channel.snapshot, 10, 1000);
  assert.equal(restoredSnapshot(saved).outcome, 'finished');
  const { outcome: _old, ...older } = saved;
  assert.equal(restoredSnapshot(older).outcome, undefined);
});

/** One strategy's run of a comparison: the fake run's events under that strategy. */
function strategyRun(strategy: StrategyName, seed: number): RunEvent[] {
  return fakeRunEvents({ prompts: 2, budget: 6, seed, runId: `run-${strategy}` }).map((e) => (e.type === 'run-start' ? { ...e, strategy } : e));
}

function compareRow(strategy: StrategyName): CompareRow {
  return { strategy, meanBestReward: 0.5, prompts: 2, failed: 0, plays: 12, tokens: 100, costUsd: 0, elapsedMs: 10 };
}

function finalTree(events: RunEvent[], promptId: string): SearchTree | undefined {
  for (const e of events) if (e.type === 'prompt-done' && e.promptId === promptId) return e.tree;
  return undefined;
}

test("a comparison keeps each strategy's run, and the panel shows any of them until the next run", () => {
  const { channel, sent } = channelWithWebview();
  channel.receive({ type: 'ready' });
  const toa = strategyRun('toa', 1);
  const moa = strategyRun('moa', 2);
  channel.beginCompare();
  for (const e of [...toa, ...moa]) channel.pushEvent(e);
  assert.equal(channel.showStrategy('toa'), false, 'not while the comparison runs');
  assert.equal(channel.whyNotHeld('toa'), 'The comparison is still running; its strategies open once it has ended.');
  channel.endCompare([compareRow('toa'), compareRow('moa')]);
  const ended = sent.at(-1);
  assert.deepEqual(ended?.type === 'compare' && ended.views, ['toa', 'moa'], 'the webview learns which rows open a run');
  assert.equal(channel.snapshot.strategy, 'moa', 'the last run is shown first');
  channel.post({ type: 'prompt-status', promptId: 'p1', status: 'accepted', reason: 'SFT row', runId: 'run-moa' });
  // A verdict about TOA's run, which is not shown, stays with it and is not sent.
  const sentBefore = sent.length;
  channel.post({ type: 'prompt-status', promptId: 'p2', status: 'rejected', runId: 'run-toa' });
  assert.equal(sent.length, sentBefore);
  assert.equal(channel.snapshot.prompts[1]!.status, 'done', "MoA's p2 is not TOA's");
  assert.equal(channel.snapshotOf('run-toa')?.prompts[1]?.status, 'rejected');
  assert.equal(channel.snapshotOf('run-gone'), undefined);

  assert.equal(channel.showStrategy('toa'), true);
  const shown = sent.at(-2);
  assert.equal(shown?.type, 'snapshot');
  const toaView = (shown as Extract<HostToWebview, { type: 'snapshot' }>).snapshot;
  assert.deepEqual([toaView.strategy, toaView.runId, toaView.compareViews, toaView.compare?.length], ['toa', 'run-toa', ['toa', 'moa'], 2]);
  assert.equal(toaView.comparing, undefined, 'a run kept while the comparison ran does not say it still runs');
  assert.deepEqual(toaView.trees.p2, finalTree(toa, 'p2'), "TOA's own trees");
  assert.deepEqual(toaView.unsentTrees, ['p1'], 'the others on request');
  channel.receive({ type: 'tree-request', runId: 'run-toa', promptId: 'p1' });
  assert.deepEqual(sent.at(-1), { type: 'tree', runId: 'run-toa', promptId: 'p1', tree: finalTree(toa, 'p1') });
  assert.equal(toaView.prompts[0]!.status, 'done', "a decision on MoA's answer is not TOA's");
  assert.equal(toaView.prompts[1]!.status, 'rejected', 'the verdict kept for it while it was not shown');
  assert.deepEqual({ ...channel.snapshot, unsentTrees: ['p1'], trees: { p2: channel.snapshot.trees.p2 } }, toaView, 'curation reads the run shown');
  assert.deepEqual(channel.snapshot.trees.p1, finalTree(toa, 'p1'));

  assert.equal(channel.showStrategy('moa'), true);
  assert.deepEqual(channel.snapshot.trees.p1, finalTree(moa, 'p1'));
  assert.equal(channel.snapshot.prompts[0]!.status, 'accepted', 'each run keeps its own decisions');
  assert.equal(channel.showStrategy('prs'), false, 'a strategy the comparison did not run');
  assert.equal(persistableSnapshot(channel.snapshot, 5, 1000).compareViews, undefined, 'the other runs are not saved, so none opens after a reload');

  for (const e of strategyRun('toa', 3)) channel.pushEvent(e);
  assert.equal(channel.snapshot.compareViews, undefined, 'a new run drops the comparison runs');
  assert.equal(channel.showStrategy('moa'), false);
  const dropped = "a new run drops the comparison's runs, and a window reload keeps only the one shown";
  assert.equal(channel.whyNotHeld('moa'), `The comparison's Mixture-of-Agents run is not held any more: ${dropped}. Compare again to see it.`);
  assert.equal(channel.whyNotHeld(), `There is no comparison to show. Run "Compare Strategies on Selection" first; ${dropped}.`);
  assert.equal(channel.snapshot.compare?.length, 2, 'its rows stay in the Compare tab');
});

test('a cancelled comparison opens only the strategies that finished', () => {
  const { channel } = channelWithWebview();
  channel.beginCompare();
  const moa = strategyRun('moa', 2);
  for (const e of [...strategyRun('toa', 1), ...moa.slice(0, -1), { ...moa.at(-1)!, cancelled: true } as RunEvent]) channel.pushEvent(e);
  channel.endCompare([compareRow('toa')]);
  assert.deepEqual(channel.snapshot.compareViews, ['toa']);
  assert.equal(channel.snapshotOf('run-moa'), channel.snapshot, 'the cut-short run stays shown until another is opened');
  assert.equal(channel.showStrategy('toa'), true);
  assert.equal(channel.showStrategy('moa'), false, 'a strategy without a row does not open');
  assert.equal(channel.snapshotOf('run-moa'), undefined, 'and is not held');
});

test('a comparison that failed holds no run to open', () => {
  const { channel } = channelWithWebview();
  channel.beginCompare();
  for (const e of strategyRun('toa', 1)) channel.pushEvent(e);
  assert.match(channel.whyNotHeld(), /still running/);
  channel.endCompare([]);
  assert.deepEqual(channel.snapshot.compareViews, []);
  assert.match(channel.whyNotHeld(), /no comparison to show/, 'it has ended');
  assert.equal(channel.showStrategy('toa'), false);
});

test('every show-strategy gets an answer naming its strategy, after the run or the notice that says why not', () => {
  const { channel, sent, timers } = channelWithWebview();
  channel.receive({ type: 'ready' });
  channel.beginCompare();
  for (const e of [...strategyRun('toa', 1), ...strategyRun('moa', 2)]) channel.pushEvent(e);
  timers.advance(1000);
  sent.length = 0;
  assert.equal(channel.showStrategy('toa'), false);
  assert.deepEqual(sent.map((m) => m.type), ['notice', 'show-strategy-result']);
  assert.match((sent[0] as Extract<HostToWebview, { type: 'notice' }>).message, /still running/);
  assert.deepEqual(sent[1], { type: 'show-strategy-result', strategy: 'toa', shown: false });

  channel.endCompare([compareRow('toa'), compareRow('moa')]);
  sent.length = 0;
  channel.showStrategy('toa');
  assert.deepEqual(sent.map((m) => m.type), ['snapshot', 'show-strategy-result']);
  assert.deepEqual(sent[1], { type: 'show-strategy-result', strategy: 'toa', shown: true });
  sent.length = 0;
  channel.showStrategy('toa');
  assert.deepEqual(sent, [{ type: 'show-strategy-result', strategy: 'toa', shown: true }], 'the run shown already: only the answer, which opens its tab');
  sent.length = 0;
  channel.showStrategy('prs');
  assert.match((sent[0] as Extract<HostToWebview, { type: 'notice' }>).message, /PRS run is not held any more/);
  assert.deepEqual(sent[1], { type: 'show-strategy-result', strategy: 'prs', shown: false });
});

test('a webview not ready yet gets the answer after the snapshot it is sent on ready', () => {
  const { channel, sent } = channelWithWebview();
  channel.beginCompare();
  for (const e of [...strategyRun('toa', 1), ...strategyRun('moa', 2)]) channel.pushEvent(e);
  channel.endCompare([compareRow('toa'), compareRow('moa')]);
  assert.equal(channel.showStrategy('toa'), true);
  assert.equal(sent.length, 0, 'nothing before ready');
  channel.receive({ type: 'ready' });
  assert.deepEqual(sent.map((m) => m.type), ['snapshot', 'show-strategy-result']);
  assert.equal((sent[0] as Extract<HostToWebview, { type: 'snapshot' }>).snapshot.strategy, 'toa');
});

test('prompt ids that name Object.prototype members (a dataset may use any) hold their own trees', () => {
  const ids = ['constructor', '__proto__', 'toString'];
  const events = fakeRunEvents({ prompts: 3, budget: 4 }).map((e) => {
    if (!('promptId' in e)) return e;
    const id = ids[Number(e.promptId.slice(1)) - 1]!;
    return 'tree' in e && e.tree ? { ...e, promptId: id, tree: { ...e.tree, promptId: id } } : { ...e, promptId: id };
  });
  const channel = new PanelChannel();
  const sent: HostToWebview[] = [];
  channel.attach((m) => sent.push(m));
  channel.receive({ type: 'ready' });
  for (const event of events) channel.pushEvent(event as RunEvent);
  const { trees, prompts, runId } = channel.snapshot;
  assert.deepEqual(Object.keys(trees).sort(), [...ids].sort());
  for (const id of ids) assert.ok(Object.hasOwn(trees, id) && trees[id]!.nodes.length > 1, id);
  assert.deepEqual(prompts.map((p) => p.status), ['done', 'done', 'done']);
  // A tree asked for that the host does not hold is none, not Object.prototype's `valueOf`.
  channel.receive({ type: 'tree-request', runId: runId!, promptId: 'valueOf' });
  assert.deepEqual(sent.at(-1), { type: 'tree', runId, promptId: 'valueOf', tree: null });
  // And the webview's copy, rebuilt from JSON, still finds them.
  const copy = JSON.parse(JSON.stringify(persistableSnapshot(channel.snapshot, 20, 1000))) as PanelSnapshot;
  assert.deepEqual(Object.keys(copy.trees).sort(), [...ids].sort());
});
