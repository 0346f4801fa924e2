import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CDPSession } from 'playwright-core';
import type { RunEvent } from '../../src/shared/events';
import { fakeRunEvents } from './fixtures/fake-run';
import { snapshotOf, startSuite, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';

/**
 * What the panel redoes while a run is live, counted rather than timed: layouts (from the
 * DevTools Performance metrics), renders of the tree view, and writes to the DOM that change
 * nothing. Users follow runs of hundreds of prompts with the panel open; work per event adds up.
 * scripts/panel-live.ts measures the whole of it on a real run.
 */

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

const events = fakeRunEvents({ prompts: 2, budget: 24, seed: 8 });
const p2Start = events.findIndex((e) => e.type === 'prompt-start' && e.promptId === 'p2');
const stats = events.find((e): e is Extract<RunEvent, { type: 'stats' }> => e.type === 'stats')!;
const treeEvents = (promptId: string): RunEvent[] => events.filter((e) => (e.type === 'node-added' || e.type === 'play-done') && e.promptId === promptId);

/** p1 done, p2 searched up to its `plays`-th play, followed on the Prompt tab; the run's stats are in. */
async function following(plays: number): Promise<{ panel: PanelPage; rest: RunEvent[] }> {
  const p2 = treeEvents('p2');
  const cut = p2.findIndex((e) => e.type === 'play-done' && e.play === plays) + 1;
  const panel = await suite.open({ state: { tab: 'prompt', follow: true } });
  const sofar = { ...stats, totals: { ...stats.totals, plays: 24 + plays } };
  await panel.send({ type: 'snapshot', snapshot: snapshotOf([...events.slice(0, p2Start + 1), ...p2.slice(0, cut), sofar]) });
  await settled(panel.page);
  await panel.page.waitForSelector('toa-tree g[data-id]');
  return { panel, rest: p2.slice(cut) };
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  return Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
}

/** Layouts the page does from now until `done` resolves. */
async function layoutsDuring(panel: PanelPage, done: () => Promise<void>): Promise<number> {
  const cdp = await panel.page.context().newCDPSession(panel.page);
  await cdp.send('Performance.enable');
  const before = await metrics(cdp);
  await done();
  const after = await metrics(cdp);
  return after.LayoutCount! - before.LayoutCount!;
}

const wait = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

describe('while a run is live', () => {
  test('new stats move the header and its progress bar with one layout, not one per frame of an animation', async () => {
    const { panel } = await following(6);
    // 24 + 6 plays of 48 so far: three more move the bar by a sixteenth.
    const next = { ...stats, totals: { ...stats.totals, plays: 33, elapsedMs: stats.totals.elapsedMs + 250 } };
    const layouts = await layoutsDuring(panel, async () => {
      await panel.send({ type: 'events', events: [next] });
      await wait(400);
    });
    assert.match((await panel.page.innerText('.run-header')).replace(/\s+/g, ' '), new RegExp(`Plays ${next.totals.plays}`));
    assert.ok(layouts <= 2, `${layouts} layouts for one stats event`);
    assert.deepEqual(await panel.problems(), []);
  });

  test('a batch about a prompt off screen costs no render and no layout; one about the followed prompt is drawn', async () => {
    const { panel, rest } = await following(6);
    const page = panel.page;
    await page.evaluate(() => {
      const w = window as unknown as { __views: number };
      w.__views = 0;
      const proto = customElements.get('toa-tree')!.prototype as object;
      const view = Object.getOwnPropertyDescriptor(proto, 'view')!;
      Object.defineProperty(proto, 'view', { configurable: true, get: view.get, set(v: unknown) { w.__views += 1; view.set!.call(this, v); } });
    });
    const views = (): Promise<number> => page.evaluate(() => (window as unknown as { __views: number }).__views);
    // p1's last play again, as a late event of a prompt searched beside p2: the panel shows p2.
    const offScreen = treeEvents('p1').slice(-2);
    const layouts = await layoutsDuring(panel, async () => {
      await panel.send({ type: 'events', events: offScreen });
      await settled(page);
      await wait(100);
    });
    assert.equal(await views(), 0, 'the panel was not rendered');
    assert.equal(layouts, 0, 'nothing was laid out');
    await panel.send({ type: 'events', events: rest.slice(0, 3) });
    await settled(page);
    assert.equal(await views(), 1, 'the followed tree grew: one render');
    assert.deepEqual(await panel.problems(), []);
  });

  test("a play adds its dot to the prompt's chart and leaves the others where they were: the axis spans the budget", async () => {
    const { panel, rest } = await following(6);
    const page = panel.page;
    const xs = (): Promise<string[]> => page.$$eval('.prompt-chart circle.dot', (cs) => cs.map((c) => c.getAttribute('cx')!));
    const ticks = (): Promise<string[]> => page.$$eval('.prompt-chart text.tick.x', (ts) => ts.map((t) => t.textContent!));
    const [before, ticksBefore] = [await xs(), await ticks()];
    assert.equal(before.length, 6);
    assert.equal(ticksBefore.at(-1), '20', 'the axis runs to the budget (24) from the first plays');
    await panel.send({ type: 'events', events: rest.slice(0, rest.findIndex((e) => e.type === 'play-done') + 1) });
    await settled(page);
    const after = await xs();
    assert.equal(after.length, 7);
    assert.deepEqual(after.slice(0, 6), before);
    assert.deepEqual(await ticks(), ticksBefore);
    assert.deepEqual(await panel.problems(), []);
  });

  test('a play on the followed tree writes only what changed: moved nodes move, nothing is rewritten as it was', async () => {
    const { panel, rest } = await following(10);
    const page = panel.page;
    await page.evaluate(() => {
      const w = window as unknown as { __same: string[]; __writes: number };
      w.__same = [];
      w.__writes = 0;
      new MutationObserver((records) => {
        for (const r of records) {
          w.__writes += 1;
          const el = r.target instanceof Element ? r.target : r.target.parentElement!;
          const node = el.closest('g[data-id]')?.getAttribute('data-id') ?? el.tagName;
          if (r.type === 'attributes' && r.oldValue === el.getAttribute(r.attributeName!)) w.__same.push(`${node} ${r.attributeName}="${r.oldValue}"`);
          // textContent replaces the text node: the same text again is a write for nothing.
          if (r.type === 'childList' && r.removedNodes.length === 1 && r.addedNodes.length === 1 && r.removedNodes[0]!.textContent === r.addedNodes[0]!.textContent) {
            w.__same.push(`${node} <${el.tagName}> "${r.addedNodes[0]!.textContent}"`);
          }
        }
      }).observe(document.querySelector('toa-tree')!, { subtree: true, attributes: true, attributeOldValue: true, childList: true });
    });
    // Three more plays, one message each, as the host sends them.
    for (let play = 0, i = 0; play < 3; i++) {
      const e = rest[i]!;
      await panel.send({ type: 'events', events: [e] });
      if (e.type === 'play-done') {
        play += 1;
        await settled(page);
      }
    }
    await settled(page);
    const { same, writes } = await page.evaluate(() => ({ same: (window as unknown as { __same: string[] }).__same, writes: (window as unknown as { __writes: number }).__writes }));
    assert.ok(writes > 0, 'the tree changed');
    assert.deepEqual(same.slice(0, 10), [], `${same.length} of ${writes} writes changed nothing`);
    assert.deepEqual(await panel.problems(), []);
  });
});

describe('editing while the panel follows the run', () => {
  test('Edit… pins the prompt: the next prompt starting does not take the editor away, as a pair mark does not', async () => {
    const p1Done = events.findIndex((e) => e.type === 'prompt-done' && e.promptId === 'p1');
    const panel = await suite.open({ state: { tab: 'prompt', follow: true } });
    await panel.send({ type: 'snapshot', snapshot: snapshotOf(events.slice(0, p1Done + 1)) });
    await settled(panel.page);
    const page = panel.page;
    assert.match((await page.textContent('.prompt-bar .prompt-index'))!, /^1 \//, 'following p1, the last prompt with a tree');
    await page.click('.detail vscode-button.edit-node');
    await page.waitForSelector('vscode-textarea.edit-text');
    await page.locator('vscode-textarea.edit-text textarea').fill('An answer being edited.');
    // p2 starts and grows: a panel still following would move to it, and the editor would go.
    await panel.send({ type: 'events', events: [events[p2Start]!, ...treeEvents('p2').slice(0, 20)] });
    await settled(page);
    assert.match((await page.textContent('.prompt-bar .prompt-index'))!, /^1 \//, 'still on p1');
    assert.equal(await page.locator('vscode-textarea.edit-text textarea').inputValue(), 'An answer being edited.');
  });
});
