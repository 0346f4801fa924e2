import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelChannel } from '../../../src/extension/panel/panel-channel';
import { emptySnapshot } from '../../../src/shared/panel-state';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { PanelStore } from '../../../webview/store';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';

/** A store on a fake webview API; listeners are never called (no frames run here). */
function storeWithApi(): { store: PanelStore; posted: WebviewToHost[] } {
  const posted: WebviewToHost[] = [];
  const api = { postMessage: (m: WebviewToHost) => void posted.push(m), getState: () => undefined, setState: () => undefined };
  return { store: new PanelStore(api, () => 1), posted };
}

function moaSnapshot(): ReturnType<typeof emptySnapshot> {
  return { ...emptySnapshot(), runId: 'run-moa', strategy: 'moa', compareViews: ['toa', 'moa'] };
}

test("a strategy's opening ends on the host's answer for it, not on other messages between", () => {
  const { store, posted } = storeWithApi();
  store.receive({ type: 'snapshot', snapshot: moaSnapshot() });
  store.setUi({ tab: 'compare' });
  store.openStrategy('toa');
  assert.deepEqual(posted.at(-1), { type: 'show-strategy', strategy: 'toa' });
  // A notice about something else, a settings snapshot, another strategy's answer: still opening.
  store.receive({ type: 'notice', level: 'error', message: 'not saved: the disk is full' });
  store.receive({ type: 'snapshot', snapshot: { ...moaSnapshot(), autoAcceptAbove: 0.5 } });
  store.receive({ type: 'show-strategy-result', strategy: 'ensemble', shown: false });
  assert.equal(store.openingStrategy, 'toa');
  store.receive({ type: 'snapshot', snapshot: { ...moaSnapshot(), runId: 'run-toa', strategy: 'toa' } });
  assert.equal(store.openingStrategy, 'toa', 'the run arrives first; its answer follows');
  store.receive({ type: 'show-strategy-result', strategy: 'toa', shown: true });
  assert.equal(store.openingStrategy, null);
  assert.equal(store.ui.tab, 'run', 'the run opens in the Run tab');
});

test('a refusal ends the opening and leaves the tab as it was', () => {
  const { store } = storeWithApi();
  store.receive({ type: 'snapshot', snapshot: moaSnapshot() });
  store.setUi({ tab: 'compare' });
  store.openStrategy('toa');
  store.receive({ type: 'notice', level: 'info', message: "The comparison's TOA (tree search) run is not held any more" });
  store.receive({ type: 'show-strategy-result', strategy: 'toa', shown: false });
  assert.equal(store.openingStrategy, null);
  assert.equal(store.ui.tab, 'compare');
  assert.match(store.notice?.message ?? '', /not held any more/);
});

test('a run shown from the palette opens the Run tab too', () => {
  const { store } = storeWithApi();
  store.receive({ type: 'events', events: fakeRunEvents({ prompts: 1, budget: 2, runId: 'run-moa' }) });
  store.setUi({ tab: 'prompt' });
  store.receive({ type: 'show-strategy-result', strategy: 'sequential', shown: true });
  assert.equal(store.ui.tab, 'run');
  assert.equal(store.openingStrategy, null);
});

/** A store on the Prompt tab following the live prompt, whose frames run at once and are counted. */
function followingStore(): { store: PanelStore; frames: { count: number } } {
  const api = { postMessage: () => undefined, getState: () => ({ tab: 'prompt', follow: true }), setState: () => undefined };
  const frames = { count: 0 };
  // Returns 0 after running the frame: no frame is pending any more.
  return { store: new PanelStore(api, (cb) => (frames.count++, cb(), 0)), frames };
}

test("a batch about prompts off screen is folded in without a render; one that shows is drawn", () => {
  const { store, frames } = followingStore();
  const events = fakeRunEvents({ prompts: 2, budget: 6 });
  const p2Start = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p2');
  // p1 done, p2 searching (and followed); the run's first stats are in.
  const stats = events.find((e) => e.type === 'stats')!;
  store.receive({ type: 'events', events: [...events.slice(0, p2Start + 1), stats] });
  assert.equal(store.selectedPrompt?.id, 'p2');
  const p1Tree = events.filter((e) => (e.type === 'node-added' || e.type === 'play-done') && e.promptId === 'p1');
  const p2Tree = events.filter((e) => (e.type === 'node-added' || e.type === 'play-done') && e.promptId === 'p2');
  const drawn = (message: Parameters<PanelStore['receive']>[0]): boolean => {
    const before = [frames.count, store.version];
    store.receive(message);
    assert.ok(store.version > before[1]!, 'the data moved on either way');
    return frames.count > before[0]!;
  };
  // Another prompt's tree (a late play of p1, as when prompts are searched at once): nothing shows it here.
  assert.equal(drawn({ type: 'events', events: p1Tree.slice(-2) }), false);
  assert.equal(drawn({ type: 'events', events: p2Tree.slice(0, 3) }), true, 'the followed prompt grows');
  assert.equal(drawn({ type: 'events', events: [...p1Tree.slice(-1), stats] }), true, 'stats show in the header');
  assert.equal(drawn({ type: 'prompt-status', promptId: 'p1', status: 'accepted' }), true);
  store.setUi({ tab: 'run' });
  assert.equal(drawn({ type: 'events', events: p1Tree.slice(-1) }), true, 'the Run tab lists every prompt');
});

test('until the first stats, the header counts plays from every prompt: all of them show', () => {
  const { store, frames } = followingStore();
  const events = fakeRunEvents({ prompts: 2, budget: 6 }).filter((e) => e.type !== 'stats');
  const p2Start = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p2');
  store.receive({ type: 'events', events: events.slice(0, p2Start + 1) });
  const before = frames.count;
  store.receive({ type: 'events', events: events.filter((e) => e.type === 'play-done' && e.promptId === 'p1').slice(-1) });
  assert.equal(frames.count, before + 1);
});

test('with no prompt shown yet, a tree event that brings the first prompt is drawn: shown is judged after the fold', () => {
  const { store, frames } = followingStore();
  const events = fakeRunEvents({ prompts: 1, budget: 2 });
  store.receive({ type: 'events', events: [events.find((e) => e.type === 'stats')!] });
  const before = frames.count;
  // Progress from a prompt never queued (as after a resume): it becomes the prompt shown.
  store.receive({ type: 'events', events: events.filter((e) => e.type === 'play-done').slice(0, 1) });
  assert.equal(store.selectedPrompt?.id, 'p1');
  assert.equal(frames.count, before + 1);
});

test('a prompt whose tree the snapshot left out: shown, it is asked for once and loads; another run answers nothing', () => {
  const channel = new PanelChannel();
  fakeRunEvents({ prompts: 4, budget: 5, runId: 'r1' }).forEach((e) => channel.pushEvent(e));
  const { store, posted } = storeWithApi();
  channel.attach((m) => store.receive(structuredClone(m)));
  channel.receive({ type: 'ready' });
  assert.deepEqual(store.snapshot.unsentTrees, ['p1', 'p2', 'p3']);
  assert.equal(store.selectedPrompt?.id, 'p4', 'by default the last prompt with a tree, which came with the snapshot');
  assert.equal(store.treeLoading, false);
  assert.deepEqual(posted, [], 'nothing asked for what is shown');

  store.setUi({ tab: 'prompt', promptId: 'p2', follow: false });
  store.setUi({ zoom: 1.5 });
  assert.deepEqual(posted, [{ type: 'tree-request', runId: 'r1', promptId: 'p2' }], 'asked once');
  assert.equal(store.treeLoading, true);
  assert.equal(store.selectedTree, undefined);
  channel.receive(posted[0]);
  assert.equal(store.treeLoading, false);
  assert.deepEqual(store.selectedTree, channel.snapshot.trees.p2);
  assert.equal(store.selectedNodeId !== null, true, 'its best answer shows, as curation needs');

  // A request whose answer comes after a new run started is dropped.
  store.setUi({ promptId: 'p1' });
  assert.equal(posted.length, 2, 'p1 asked for');
  store.receive({ type: 'events', events: [{ type: 'run-start', runId: 'r2', strategy: 'toa', budget: 5, agents: ['a'] }] });
  store.receive({ type: 'tree', runId: 'r1', promptId: 'p1', tree: channel.snapshot.trees.p1! });
  assert.deepEqual(store.snapshot.trees, {});
});

test("the host's answer to a decision is announced, the same words again and again too (the region's text must change to be read)", () => {
  const { store } = storeWithApi();
  store.receive({ type: 'events', events: fakeRunEvents({ prompts: 2, budget: 2 }) });
  const pair = { type: 'preference', runId: 'run-1', promptId: 'p2', chosen: 1, rejected: 3 } as const;
  const saved = { type: 'prompt-status', promptId: 'p2', status: 'done', reason: 'preference pair -> data/preference.jsonl', runId: 'run-1' } as const;
  store.post(pair, 'Saving pair…');
  store.receive(saved);
  assert.equal(store.announcement, 'Prompt 2 done: preference pair -> data/preference.jsonl');
  store.post(pair, 'Saving pair…');
  store.receive(saved);
  assert.equal(store.announcement.trim(), 'Prompt 2 done: preference pair -> data/preference.jsonl');
  assert.notEqual(store.announcement, 'Prompt 2 done: preference pair -> data/preference.jsonl', 'the second answer differs, so it is read too');
  const second = store.announcement;
  store.post(pair, 'Saving pair…');
  store.receive(saved);
  assert.equal(store.announcement.trim(), 'Prompt 2 done: preference pair -> data/preference.jsonl');
  assert.notEqual(store.announcement, second, 'the third differs from the second, so it is read too');
  store.receive({ ...saved, promptId: 'p1', status: 'accepted', reason: 'auto-accepted: sft.jsonl' });
  assert.equal(store.announcement.trim(), 'Prompt 2 done: preference pair -> data/preference.jsonl', 'a status the panel did not ask for is not announced');
});

test("a comparison's warning is announced with its first run; a later run's repeat is listed but not read out again", () => {
  const { store } = storeWithApi();
  const warning = (message: string, repeat?: true) => ({ type: 'run-warning', code: 'flat-reward', message, ...(repeat ? { repeat } : {}) }) as const;
  const toa = fakeRunEvents({ prompts: 1, budget: 4, runId: 'cmp-toa' });
  store.receive({ type: 'events', events: [...toa.slice(0, 3), warning('every one of the first 8 answers got the same reward, 0')] });
  assert.equal(store.announcement, 'Warning: every one of the first 8 answers got the same reward, 0');
  const moa = fakeRunEvents({ prompts: 1, budget: 4, runId: 'cmp-moa' });
  store.receive({ type: 'events', events: [...toa.slice(3), ...moa.slice(0, 3), warning('every one of the first 12 answers got the same reward, 0', true)] });
  assert.deepEqual(store.snapshot.warnings, [{ code: 'flat-reward', message: 'every one of the first 12 answers got the same reward, 0' }], "the run shown lists its own warning, without the comparison's mark");
  assert.equal(store.announcement, 'Warning: every one of the first 8 answers got the same reward, 0', 'the repeat is not read out');
});

test("a run's warning is announced once, as it arrives; one a snapshot brings is not (it was there before)", () => {
  const { store } = storeWithApi();
  const run = fakeRunEvents({ prompts: 2, budget: 4 });
  const warning = { type: 'run-warning', code: 'tau-scale', message: 'search.tau 0.1 is small for these scores: set search.tau to about 2.', suggestedTau: 2 } as const;
  store.receive({ type: 'snapshot', snapshot: { ...emptySnapshot(), runId: 'run-0', warnings: [{ code: 'tau-scale', message: 'an old run\'s warning', suggestedTau: 3 }] } });
  assert.equal(store.announcement, '');
  store.receive({ type: 'events', events: [...run.slice(0, 5), warning] });
  assert.equal(store.announcement, `Warning: ${warning.message}`, 'a new run, then its warning: read out');
  store.receive({ type: 'events', events: [warning, ...run.slice(5, 12)] });
  assert.equal(store.announcement, `Warning: ${warning.message}`, 'the same warning again, then plays: nothing new to read');
  store.receive({ type: 'notice', level: 'info', message: "The comparison's TOA run is not held any more" });
  assert.equal(store.announcement, "The comparison's TOA run is not held any more", 'an info notice is read out from the same region');
});

test('a run that starts is followed live, though a prompt it also has was picked in the run before', () => {
  const { store } = storeWithApi();
  const first = fakeRunEvents({ prompts: 2, budget: 3, runId: 'r1' });
  store.receive({ type: 'events', events: first });
  store.setUi({ tab: 'prompt', promptId: 'p1', follow: false });
  assert.equal(store.selectedPrompt?.id, 'p1');
  // The next run resumes: p1 is already done (skipped), p2 is searched.
  store.receive({ type: 'events', events: [
    { type: 'run-start', runId: 'r2', strategy: 'toa', budget: 3, agents: ['a'] },
    { type: 'prompt-skipped', promptId: 'p1', preview: 'one' },
    { type: 'prompt-queued', promptId: 'p2', preview: 'two' },
    { type: 'prompt-start', promptId: 'p2' },
  ] });
  assert.equal(store.ui.follow, true);
  assert.equal(store.selectedPrompt?.id, 'p2', 'the prompt being searched, not the skipped one picked before');
});
