import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PanelChannel, persistableSnapshot, restoredSnapshot } from '../../../src/extension/panel/panel-channel';
import { IN_RUN_SAVE_DELAY_MS, SnapshotSaver } from '../../../src/extension/panel/snapshot-saver';
import type { RunEvent } from '../../../src/shared/events';
import type { PanelEvent, PanelSnapshot } from '../../../src/shared/protocol';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';
import { manualTimers } from './manual-timers';

/** The panel as the controller wires it: events into the channel and the saver; `reload()` is what a reloaded window would show. */
function panel() {
  const timers = manualTimers();
  const channel = new PanelChannel({ timers });
  const writes: PanelSnapshot[] = [];
  const saver = new SnapshotSaver(() => writes.push(structuredClone(persistableSnapshot(channel.snapshot, 20, 1000))), timers);
  return {
    timers,
    writes,
    push: (events: (RunEvent | PanelEvent)[]) => events.forEach((e) => (channel.pushEvent(e), saver.onEvent(e))),
    reload: (): PanelSnapshot | undefined => {
      const saved = writes.at(-1);
      return saved && restoredSnapshot(saved);
    },
  };
}

test('a reload at any moment of a run restores that run, interrupted, never the run before it', () => {
  const p = panel();
  p.push(fakeRunEvents({ prompts: 2, budget: 3, runId: 'before' }));
  assert.equal(p.reload()?.runId, 'before');
  const next = fakeRunEvents({ prompts: 4, budget: 3, runId: 'next' });
  p.push(next.slice(0, 1));
  // Reloaded at once: its start was saved, and it shows as cut short, not as finished.
  assert.deepEqual([p.reload()?.runId, p.reload()?.outcome, p.reload()?.running], ['next', 'interrupted', false]);
  assert.deepEqual(p.reload()?.prompts, [], 'nothing of the run before');
  // Its queue comes in: saved again within a second, so the prompts it was going to search show.
  const firstDone = next.findIndex((e) => e.type === 'prompt-done');
  p.push(next.slice(1, firstDone));
  p.timers.advance(1000);
  assert.deepEqual(p.reload()?.prompts.map((e) => [e.id, e.status]), [['p1', 'cancelled'], ['p2', 'cancelled'], ['p3', 'cancelled'], ['p4', 'cancelled']]);
  assert.equal(p.reload()?.outcome, 'interrupted');
});

test('during a run the saves, which carry trees, come at most every few seconds; the end is saved at once', () => {
  const p = panel();
  const events = fakeRunEvents({ prompts: 12, budget: 3, runId: 'r' });
  // A prompt finishes every second: twelve seconds of run.
  for (const e of events.slice(0, -1)) {
    p.push([e]);
    if (e.type === 'prompt-done') p.timers.advance(1000);
  }
  // Its start, its queue a second later, then one save per IN_RUN_SAVE_DELAY_MS of finished prompts.
  assert.ok(p.writes.length <= 2 + Math.ceil(12_000 / IN_RUN_SAVE_DELAY_MS), `${p.writes.length} saves`);
  const during = p.writes.length;
  p.push(events.slice(-1));
  assert.equal(p.writes.length, during + 1);
  assert.equal(p.reload()?.outcome, 'finished');
});

test('a tree shown after the run (Show tree) is saved at once: a reload right after it still shows it', () => {
  const p = panel();
  const events = fakeRunEvents({ prompts: 2, budget: 3, runId: 'r' });
  p.push(events);
  const done = events.find((e) => e.type === 'prompt-done')!;
  p.push([{ type: 'prompt-shown', promptId: 'shown', preview: 'Shown later', tree: { ...done.tree, promptId: 'shown' }, best: done.best, search: { promptId: 'p1', runId: 'earlier' } }]);
  assert.ok(p.reload()?.trees.shown, 'the shown tree is in the saved snapshot without waiting');
});

test("auto-accept's statuses, each just before its prompt-done, do not make the in-run saves more frequent", () => {
  /** Saves in 60 s of run, a prompt finishing every 250 ms; `autoAccept`: each posts a prompt-status first (PanelController.post). */
  const saves = (autoAccept: boolean): number => {
    const timers = manualTimers();
    let writes = 0;
    const saver = new SnapshotSaver(() => writes++, timers);
    saver.onEvent({ type: 'run-start', runId: 'r', strategy: 'toa', budget: 3, agents: ['a'] });
    for (let i = 0; i < 240; i++) {
      timers.advance(250);
      if (autoAccept) saver.saveSoon();
      saver.onEvent({ type: 'prompt-done', promptId: `p${i}`, best: { nodeId: 0, reward: 1 } } as Parameters<SnapshotSaver['onEvent']>[0]);
    }
    return writes;
  };
  const plain = saves(false);
  assert.ok(plain <= 2 + 60_000 / IN_RUN_SAVE_DELAY_MS, `${plain} saves without auto-accept`);
  assert.equal(saves(true), plain);
});
