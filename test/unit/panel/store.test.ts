import { test } from 'node:test';
import assert from 'node:assert/strict';
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
