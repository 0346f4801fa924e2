import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySnapshot, isUnsent } from '../../../src/shared/panel-state';
import { heldTree } from '../../../src/shared/held-trees';
import type { RunEvent } from '../../../src/shared/events';
import type { PanelSnapshot, PromptEntry } from '../../../src/shared/protocol';
import { PanelStore } from '../../../webview/store';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';

/** A store following the live prompt (no prompt picked); frames never run. */
function followingStore(): PanelStore {
  const api = { postMessage: () => undefined, getState: () => ({ tab: 'prompt', follow: true }), setState: () => undefined };
  return new PanelStore(api, () => 1);
}

/** What the Prompt tab follows, by the rule itself: the last prompt searching, else the last with a tree, else the first. */
function followedByScan(snapshot: PanelSnapshot): string | undefined {
  const { prompts } = snapshot;
  const pick = prompts.findLast((p) => p.status === 'searching') ?? prompts.findLast((p) => heldTree(snapshot.trees, p.id) || isUnsent(snapshot, p.id)) ?? prompts[0];
  return pick?.id;
}

/** Four prompts searched at once, as a run with concurrency 4 does: their events interleaved in rounds. */
function concurrentRun(): RunEvent[] {
  const solo = fakeRunEvents({ prompts: 9, budget: 6, seed: 5 });
  const byPrompt = new Map<string, RunEvent[]>();
  for (const e of solo) if ('promptId' in e && e.type !== 'prompt-queued') byPrompt.set(e.promptId, [...(byPrompt.get(e.promptId) ?? []), e]);
  const lanes = [...byPrompt.values()];
  const events: RunEvent[] = solo.filter((e) => e.type === 'run-start' || e.type === 'prompt-queued');
  for (let start = 0; start < lanes.length; start += 4) {
    const group = lanes.slice(start, start + 4);
    for (let i = 0; group.some((lane) => i < lane.length); i++) for (const lane of group) if (lane[i]) events.push(lane[i]!);
  }
  return [...events, ...solo.filter((e) => e.type === 'stats' || e.type === 'run-done')];
}

test('the followed prompt is the one the rule names after every batch of a run searching prompts at once, through decisions and a new run', () => {
  const store = followingStore();
  const events = concurrentRun();
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i += 7) {
    store.receive({ type: 'events', events: events.slice(i, i + 7) });
    assert.equal(store.selectedPrompt?.id, followedByScan(store.snapshot), `after event ${i + 7}`);
    seen.add(store.selectedPrompt!.id);
  }
  assert.ok(seen.size >= 5, 'the pick moved on as searches started and ended');
  store.receive({ type: 'prompt-status', promptId: 'p9', status: 'rejected' });
  assert.equal(store.selectedPrompt?.id, 'p9', 'after the run: the last prompt with a tree');
  store.receive({ type: 'events', events: fakeRunEvents({ prompts: 2, budget: 3, runId: 'run-2' }).slice(0, 4) });
  assert.equal(store.selectedPrompt?.id, 'p1', 'a new run: its first prompt, searching');
});

test('a snapshot with trees left out follows the last prompt with one, held or unsent; one the host no longer holds is passed over', () => {
  const store = followingStore();
  const prompts: PromptEntry[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, preview: id, status: 'done', plays: 1 }));
  const tree = { promptId: 'b', strategy: 'toa' as const, agents: ['x'], budget: 1, plays: 0, nodes: [] };
  store.receive({ type: 'snapshot', snapshot: { ...emptySnapshot(), runId: 'r', prompts, trees: { b: tree }, unsentTrees: ['c'] } });
  assert.equal(store.selectedPrompt?.id, 'c', 'unsent, on its way');
  store.receive({ type: 'tree', runId: 'r', promptId: 'c', tree: null });
  assert.equal(store.selectedPrompt?.id, 'b', 'the host no longer holds c');
});

/** Prompts as an array that counts reads of its entries. */
function countedPrompts(prompts: PromptEntry[]): { prompts: PromptEntry[]; reads: { count: number } } {
  const reads = { count: 0 };
  const counted = new Proxy(prompts, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.count++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { prompts: counted, reads };
}

test('with 50,000 prompts queued, finding the followed prompt reads a few entries, not the queue, per render', () => {
  const store = followingStore();
  const entries: PromptEntry[] = Array.from({ length: 50_000 }, (_, i) => ({ id: `p${i}`, preview: '', status: i < 4 ? 'searching' : 'waiting', plays: 0 }));
  const { prompts, reads } = countedPrompts(entries);
  const trees = Object.fromEntries(entries.slice(0, 4).map((p) => [p.id, { promptId: p.id, strategy: 'toa' as const, agents: ['x'], budget: 4, plays: 0, nodes: [] }]));
  store.receive({ type: 'snapshot', snapshot: { ...emptySnapshot(), runId: 'r', running: true, prompts, trees } });
  assert.equal(store.selectedPrompt?.id, 'p3');
  reads.count = 0;
  for (let render = 0; render < 100; render++) assert.equal(store.selectedPrompt?.id, 'p3');
  assert.ok(reads.count <= 100 * 8, `${reads.count} entries read in 100 renders`);
  // p3's search ends and p4's starts: followed without a scan either.
  reads.count = 0;
  store.receive({ type: 'events', events: [{ type: 'prompt-failed', promptId: 'p3', error: 'boom' }, { type: 'prompt-start', promptId: 'p4' }] });
  assert.equal(store.selectedPrompt?.id, 'p4');
  assert.ok(reads.count <= 100, `${reads.count} entries read for a batch and a render`);
});
