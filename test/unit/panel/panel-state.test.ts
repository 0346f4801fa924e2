import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, applyEvents, applyHostMessage, bestResponse, emptySnapshot, findPrompt, pathTo } from '../../../src/shared/panel-state';
import type { RunEvent } from '../../../src/shared/events';
import type { TreeNode } from '../../../src/shared/tree';
import type { PanelEvent, PanelSnapshot } from '../../../src/shared/protocol';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';
import { runAnnouncement } from '../../../webview/announcements';
import { promptSeries } from '../../../webview/chart-data';
import { bestAnswer } from '../../../src/core/search/candidates';

const liveEvents = (events: RunEvent[]): RunEvent[] => events.filter((e) => e.type !== 'prompt-done');

test('rebuilds each tree from node-added and play-done exactly as the search built it', () => {
  const events = fakeRunEvents({ prompts: 3, budget: 30, seed: 11 });
  const snapshot = applyEvents(emptySnapshot(), liveEvents(events));
  const finals = events.filter((e) => e.type === 'prompt-done');
  assert.equal(finals.length, 3);
  for (const done of finals) assert.deepEqual(snapshot.trees[done.promptId], done.tree);
});

test('play-done backs up visits and values along the path only', () => {
  const s = emptySnapshot();
  const node = (id: number, parent: number | null, kind: TreeNode['kind']): RunEvent => ({
    type: 'node-added', promptId: 'a', node: { id, kind, parent, layer: id, children: [], visits: 1, values: [] },
  });
  applyEvents(s, [node(0, null, 'root'), node(1, 0, 'agent'), node(2, 1, 'response')]);
  applyEvent(s, { type: 'play-done', promptId: 'a', play: 1, nodeId: 2, reward: 1.5, value: 0.8, path: [1, 0] });
  const [root, agent, response] = s.trees.a!.nodes;
  assert.deepEqual([root!.visits, root!.values], [2, [0.8]]);
  assert.deepEqual([agent!.visits, agent!.values], [2, [0.8]]);
  assert.deepEqual([response!.visits, response!.values], [1, []]);
  assert.deepEqual(root!.children, [1]);
  assert.equal(s.trees.a!.plays, 1);
  assert.equal(findPrompt(s, 'a')?.bestReward, 1.5);
});

test('does not alias the nodes it is given (the host passes the core its live objects)', () => {
  const live: TreeNode = { id: 0, kind: 'root', parent: null, layer: 0, children: [], visits: 1, values: [] };
  const s = applyEvent(emptySnapshot(), { type: 'node-added', promptId: 'a', node: live });
  live.children.push(1);
  live.values.push(0.5);
  assert.deepEqual(s.trees.a!.nodes[0]!.children, []);
  assert.deepEqual(s.trees.a!.nodes[0]!.values, []);
});

test('a replayed node-added is ignored rather than linked twice', () => {
  const events = liveEvents(fakeRunEvents({ prompts: 1, budget: 8 }));
  const once = applyEvents(emptySnapshot(), events);
  const adds = events.filter((e) => e.type === 'node-added');
  const twice = applyEvents(applyEvents(emptySnapshot(), events), adds);
  assert.deepEqual(twice.trees, once.trees);
});

test('tracks prompt statuses through a run', () => {
  const s = emptySnapshot();
  applyEvents(s, [
    { type: 'run-start', runId: 'r', strategy: 'toa', budget: 4, agents: ['x', 'y'] },
    { type: 'prompt-queued', promptId: 'a', preview: 'first' },
    { type: 'prompt-queued', promptId: 'b', preview: 'second' },
    { type: 'prompt-queued', promptId: 'c', preview: 'third' },
    { type: 'prompt-skipped', promptId: 'c' },
    { type: 'prompt-start', promptId: 'a' },
  ]);
  assert.deepEqual(s.prompts.map((p) => p.status), ['searching', 'waiting', 'skipped']);
  applyEvent(s, { type: 'prompt-failed', promptId: 'b', error: 'HTTP 401 from x' });
  assert.deepEqual(findPrompt(s, 'b'), { id: 'b', preview: 'second', status: 'failed', reason: 'HTTP 401 from x', plays: 0 });
  assert.equal(s.running, true);
  applyEvent(s, { type: 'run-done', cancelled: true, totals: { prompts: 3, done: 0, failed: 1, skipped: 1, plays: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, elapsedMs: 5 } });
  assert.equal(s.running, false);
  assert.equal(s.totals?.failed, 1);
});

test('run-cancelling: the panel shows the run cancelling, with the prompts it still saves, until run-done or the next run', () => {
  const events = fakeRunEvents({ prompts: 2, budget: 3 });
  const s = applyEvents(emptySnapshot(), events.filter((e) => e.type !== 'run-done'));
  applyEvent(s, { type: 'run-cancelling', saving: ['p1'] });
  assert.deepEqual([s.running, s.cancelling], [true, ['p1']]);
  applyEvent(s, { type: 'run-cancelling', saving: [] });
  assert.deepEqual(s.cancelling, []);
  applyEvent(s, events.at(-1)!);
  assert.deepEqual([s.running, s.cancelling], [false, undefined]);
  applyEvent(s, { type: 'run-cancelling', saving: ['p1'] });
  applyEvent(s, events[0]!);
  assert.equal(s.cancelling, undefined, 'a new run is not cancelling');
});

test('prompt-done marks done but keeps a curation decision that arrived first', () => {
  const events = fakeRunEvents({ prompts: 2, budget: 6 });
  const s = emptySnapshot();
  for (const e of events) {
    if (e.type === 'prompt-done' && e.promptId === 'p1') applyHostMessage(s, { type: 'prompt-status', promptId: 'p1', status: 'accepted', reason: 'auto' });
    applyEvent(s, e);
  }
  assert.deepEqual(s.prompts.map((p) => [p.status, p.plays]), [['accepted', 6], ['done', 6]]);
  assert.equal(findPrompt(s, 'p1')?.reason, 'auto');
});

test('run-start clears the previous run but keeps settings and the compare table', () => {
  const s = applyEvents(emptySnapshot({ autoAcceptAbove: 0.9, outputs: { sft: 'a', preference: 'b', trace: 'c' } }), fakeRunEvents({ prompts: 2, budget: 5 }));
  applyHostMessage(s, { type: 'compare', rows: [] });
  applyEvent(s, { type: 'run-start', runId: 'r2', strategy: 'moa', budget: 9, agents: ['z'] });
  assert.deepEqual([s.runId, s.strategy, s.budget, s.agents, s.prompts, s.trees, s.running], ['r2', 'moa', 9, ['z'], [], {}, true]);
  assert.deepEqual(s.runCurve, { best: [], reward: [], count: [] });
  assert.equal(s.autoAcceptAbove, 0.9);
  assert.deepEqual(s.compare, []);
  assert.equal(s.outputs.sft, 'a');
});

test('run warnings are kept once per code for the run, and cleared by the next run-start', () => {
  const start: RunEvent = { type: 'run-start', runId: 'r1', strategy: 'toa', budget: 8, agents: ['a'] };
  const warn = (message: string): RunEvent => ({ type: 'run-warning', code: 'tau-scale', message, suggestedTau: 2 });
  const s = applyEvents(emptySnapshot(), [start, warn('tau is small'), warn('tau is small again')]);
  assert.deepEqual(s.warnings, [{ code: 'tau-scale', message: 'tau is small', suggestedTau: 2 }]);
  applyEvent(s, { ...start, runId: 'r2' });
  assert.deepEqual(s.warnings, []);
});

test('the run curve sums best-so-far and per-play reward by play count', () => {
  const s = emptySnapshot();
  const play = (promptId: string, n: number, reward: number): RunEvent => ({ type: 'play-done', promptId, play: n, nodeId: 0, reward, value: 0.5, path: [] });
  applyEvents(s, [play('a', 1, 0.25), play('a', 2, 0.125), play('b', 1, 0.5), play('b', 2, 0.75)]);
  assert.deepEqual(s.runCurve, { best: [0.75, 1], reward: [0.75, 0.875], count: [2, 2] });
});

test('the running best, its run curve and the chart pass a blank answer over once one holds an answer, as the finished prompt does', () => {
  // Plays 1 and 3 answer nothing (whitespace) yet score highest; 2 and 4 answer.
  const plays: Array<[text: string, reward: number]> = [[' ', 0.9], ['4', 0.5], ['\n', 0.95], ['42', 0.6]];
  const node = (id: number, parent: number | null, kind: TreeNode['kind'], more: Partial<TreeNode> = {}): RunEvent => ({
    type: 'node-added', promptId: 'a', node: { id, kind, parent, layer: kind === 'root' ? 0 : kind === 'agent' ? 1 : 2, children: [], visits: 1, values: [], agent: 0, ...more },
  });
  const s = applyEvents(emptySnapshot(), [node(0, null, 'root')]);
  const running: Array<number | undefined> = [];
  plays.forEach(([text, reward], i) => {
    const agent = 2 * i + 1;
    applyEvents(s, [
      node(agent, 0, 'agent'),
      node(agent + 1, agent, 'response', { text, reward, play: i + 1 }),
      { type: 'play-done', promptId: 'a', play: i + 1, nodeId: agent + 1, reward, value: 0.5, path: [agent, 0] },
    ]);
    running.push(findPrompt(s, 'a')?.bestReward);
  });
  assert.deepEqual(running, [0.9, 0.5, 0.5, 0.6], 'a blank answer is the best only while every answer is blank');
  assert.deepEqual(s.runCurve?.best, [0.9, 0.5, 0.5, 0.6]);
  assert.deepEqual(promptSeries(s.trees.a!).best.map((p) => p.y), [0.9, 0.5, 0.5, 0.6]);
  const finished = bestAnswer(s.trees.a!)!;
  assert.deepEqual([finished.text, finished.reward], ['42', 0.6], 'the running best ends where the finished prompt starts');
  applyEvent(s, { type: 'prompt-done', promptId: 'a', best: { nodeId: finished.nodeId, reward: finished.reward } });
  assert.equal(findPrompt(s, 'a')?.bestReward, 0.6);
});

test('drops the oldest finished trees beyond the limit, never a live one', () => {
  const events = fakeRunEvents({ prompts: 4, budget: 5 });
  const s = emptySnapshot();
  // p4 starts before the others finish, so it is live while the limit bites.
  const start4 = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p4');
  applyEvent(s, events[start4]!);
  applyEvents(s, events.filter((_, i) => i !== start4), { treeLimit: 2 });
  assert.deepEqual(Object.keys(s.trees).sort(), ['p3', 'p4']);
  assert.equal(s.prompts.length, 4);
});

test('the oldest trees go first also when prompt ids look like integers', () => {
  const rename = (id: string): string => String(50 - Number(id.slice(1)) * 10); // 40, 30, 20, 10 in run order; as keys, 10 lists first
  const events = fakeRunEvents({ prompts: 4, budget: 5 }).map((e) => ('promptId' in e ? ({ ...e, promptId: rename(e.promptId) } as typeof e) : e));
  const s = applyEvents(emptySnapshot(), events, { treeLimit: 2 });
  assert.deepEqual(Object.keys(s.trees), ['10', '20'], 'the last two prompts of the run');
});

test('a snapshot message replaces the state; select and notice leave it alone', () => {
  const s = emptySnapshot();
  const other = emptySnapshot({ autoAcceptAbove: 0.5 });
  assert.equal(applyHostMessage(s, { type: 'snapshot', snapshot: other }), other);
  assert.equal(applyHostMessage(s, { type: 'notice', level: 'info', message: 'hi' }), s);
  assert.equal(applyHostMessage(s, { type: 'select-prompt', promptId: 'x' }), s);
  assert.deepEqual(s, emptySnapshot());
});

test("a curation verdict updates its prompt, and one for a prompt no longer shown adds none", () => {
  const s = applyEvents(emptySnapshot(), fakeRunEvents({ prompts: 2, budget: 4 }));
  applyHostMessage(s, { type: 'prompt-status', promptId: 'p1', status: 'accepted', reason: 'sft.jsonl' });
  assert.deepEqual([s.prompts[0]!.status, s.prompts[0]!.reason], ['accepted', 'sft.jsonl']);
  applyHostMessage(s, { type: 'prompt-status', promptId: 'from-the-last-run', status: 'accepted' });
  assert.deepEqual(s.prompts.map((p) => p.id), ['p1', 'p2']);
});

test('a refused decision keeps its level until the next verdict', () => {
  const s = applyEvents(emptySnapshot(), fakeRunEvents({ prompts: 1, budget: 4 }));
  applyHostMessage(s, { type: 'prompt-status', promptId: 'p1', status: 'done', reason: 'not saved: disk full', level: 'error' });
  assert.deepEqual([s.prompts[0]!.status, s.prompts[0]!.reasonLevel], ['done', 'error']);
  applyHostMessage(s, { type: 'prompt-status', promptId: 'p1', status: 'accepted', reason: 'sft.jsonl' });
  assert.equal('reasonLevel' in s.prompts[0]!, false);
});

test('prompt lookups survive a snapshot that went through JSON', () => {
  const s = applyEvents(emptySnapshot(), fakeRunEvents({ prompts: 3, budget: 4 }));
  const copy = JSON.parse(JSON.stringify(s)) as typeof s;
  applyHostMessage(copy, { type: 'prompt-status', promptId: 'p2', status: 'rejected' });
  assert.deepEqual(copy.prompts.map((p) => p.status), ['done', 'rejected', 'done']);
});

test('bestResponse and pathTo find the best answer and its ancestry', () => {
  const events = fakeRunEvents({ prompts: 1, budget: 20, seed: 3 });
  const done = events.find((e) => e.type === 'prompt-done')!;
  const tree = applyEvents(emptySnapshot(), events).trees.p1!;
  const best = bestResponse(tree)!;
  assert.equal(best.id, done.best.nodeId);
  const path = pathTo(tree, best.id);
  assert.equal(path[0], 0);
  assert.equal(path[path.length - 1], best.id);
  for (let i = 1; i < path.length; i++) assert.equal(tree.nodes[path[i]!]!.parent, path[i - 1]);
});

test('a 2,000-node tree folds in well under a frame per batch', () => {
  const events = liveEvents(fakeRunEvents({ prompts: 1, budget: 5000, maxNodes: 2000 }));
  const started = performance.now();
  const s = applyEvents(emptySnapshot(), events);
  const elapsed = performance.now() - started;
  assert.ok(s.trees.p1!.nodes.length >= 2000);
  assert.ok(elapsed < 200, `took ${elapsed.toFixed(1)} ms for ${events.length} events`);
});

test('a run ends finished, cancelled or stopped; prompts a cancel cut short are cancelled, not failed', () => {
  const events = fakeRunEvents({ prompts: 2, budget: 4 });
  const done = events.find((e) => e.type === 'run-done')!;
  const ended = (last: RunEvent): PanelSnapshot => applyEvents(emptySnapshot(), [...events.filter((e) => e.type !== 'run-done'), last]);
  assert.equal(ended(done).outcome, 'finished');
  assert.equal(ended({ ...done, cancelled: true } as RunEvent).outcome, 'cancelled');
  assert.equal(ended({ ...done, cancelled: true, stopped: 'agent "a" cannot be reached' } as RunEvent).outcome, 'stopped');
  const s = applyEvents(emptySnapshot(), [...events.slice(0, 3), { type: 'prompt-cancelled', promptId: 'p1' }, { type: 'prompt-failed', promptId: 'p2', error: 'agent "a": 500' }]);
  assert.deepEqual(s.prompts.map((p) => p.status), ['cancelled', 'failed']);
  assert.equal(applyEvents(s, events.filter((e) => e.type === 'run-start')).outcome, undefined, 'a new run has no outcome yet');
  // Prompts still queued when the run was cancelled were not searched.
  const queued = applyEvents(emptySnapshot(), [...events.slice(0, 3), { ...done, cancelled: true } as RunEvent]);
  assert.ok(queued.prompts.length > 0 && queued.prompts.every((p) => p.status === 'cancelled'), JSON.stringify(queued.prompts.map((p) => p.status)));
});

test('a prompt resume passed over is listed with its text, as skipped', () => {
  const s = applyEvents(emptySnapshot(), [{ type: 'prompt-skipped', promptId: 'line-4', preview: 'Name a river.' }]);
  assert.deepEqual(s.prompts.map((p) => [p.id, p.preview, p.status]), [['line-4', 'Name a river.', 'skipped']]);
});

test('preparing: a run being set up shows over the run before, until its run-start or until its setup ends without one', () => {
  const events = fakeRunEvents({ prompts: 2, budget: 3 });
  const s = applyEvents(emptySnapshot(), events);
  const before = structuredClone(s);
  applyHostMessage(s, { type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'reading the configuration' } });
  applyHostMessage(s, { type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'reading data/traces.jsonl for the prompts already done' } });
  assert.deepEqual(s.preparing, { source: 'prompts.jsonl', step: 'reading data/traces.jsonl for the prompts already done' });
  assert.deepEqual({ ...s, preparing: undefined }, { ...before, preparing: undefined }, 'the run before is still shown under it');
  applyHostMessage(s, { type: 'preparing', preparing: null });
  assert.equal('preparing' in s, false, 'a setup that ended without a run (refused, cancelled)');
  applyHostMessage(s, { type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'checking the outputs' } });
  applyEvent(s, { ...events[0]!, runId: 'r2' } as RunEvent);
  assert.deepEqual([s.preparing, s.running, s.runId], [undefined, true, 'r2'], 'the run started');
});

test("preparing with progress: a screen reader is told the step, not each count of the lines read", () => {
  const s = emptySnapshot();
  applyHostMessage(s, { type: 'preparing', preparing: { source: 'big.jsonl', step: 'reading the prompts', progress: '4,000 of 9,000 lines' } });
  assert.equal(runAnnouncement(s), 'Preparing a run: reading the prompts');
});

test('a tree shown again under the same key is decided on by the search shown last; a prompt of the run itself never becomes a shown one', () => {
  const [done] = fakeRunEvents().filter((e): e is Extract<RunEvent, { type: 'prompt-done' }> => e.type === 'prompt-done');
  const shown = (promptId: string, runId: string): Extract<PanelEvent, { type: 'prompt-shown' }> => ({ type: 'prompt-shown', promptId, preview: 'p', tree: { ...done!.tree, promptId }, best: done!.best, search: { promptId: 'p1', runId } });
  const s = applyEvents(emptySnapshot(), [shown('shown-p1', 'older'), shown('shown-p1', 'newer')]);
  assert.deepEqual(findPrompt(s, 'shown-p1')?.shown, { promptId: 'p1', runId: 'newer' });
  const own = applyEvents(emptySnapshot(), [{ type: 'prompt-queued', promptId: 'p1', preview: 'p' }, shown('p1', 'older')]);
  assert.equal(findPrompt(own, 'p1')?.shown, undefined);
});
