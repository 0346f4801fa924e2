import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../src/shared/events';
import { fakeRunEvents } from './fixtures/fake-run';
import { clickNode, finalTrees, focused, openPromptTab, showSnapshot, snapshotOf, startSuite, until, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';

/**
 * Keyboard focus in the panel: a control that goes away or disables itself once activated hands
 * the focus on to the next sensible control, never to the page (where a keyboard user would have
 * to start over from the top). Each control is activated from the keyboard, as such a user does.
 */

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

const events = fakeRunEvents({ prompts: 3, budget: 20, seed: 8 });
const tree = finalTrees(events).get('p2')!;
const answers = tree.nodes.filter((n) => n.kind === 'response');

async function press(page: Page, selector: string, key = 'Enter'): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press(key);
  await settled(page);
}

async function finished(): Promise<PanelPage> {
  const panel = await suite.open();
  await showSnapshot(panel, snapshotOf(events));
  return panel;
}

describe('keyboard focus after a control goes away', () => {
  test('a prompt opened from the queue: the focus goes to the Prompt tab it opened', async () => {
    const panel = await finished();
    await press(panel.page, '.prompt-row[data-prompt="p2"]');
    assert.match(await focused(panel.page), /^vscode-tab-header\.tab-prompt/);
    assert.deepEqual(await panel.problems(), []);
  });

  test("a dismissed notice: the focus goes to the open tab's header", async () => {
    const panel = await finished();
    await panel.send({ type: 'notice', level: 'error', message: 'not saved: the disk is full' });
    await settled(panel.page);
    await press(panel.page, '.notice button[aria-label="Dismiss"]');
    assert.equal(await panel.page.locator('.notice').count(), 0);
    assert.match(await focused(panel.page), /^vscode-tab-header\.tab-run/);
  });

  test('Cancel run, gone once the run has ended: the focus goes to the open tab', async () => {
    const done = events.find((e) => e.type === 'run-done')!;
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(until(events, (e) => e === done)));
    await press(panel.page, '.run-header vscode-button');
    await panel.send({ type: 'events', events: [done] });
    await settled(panel.page);
    assert.equal(await panel.page.locator('.run-header vscode-button').count(), 0, 'the run ended');
    assert.match(await focused(panel.page), /^vscode-tab-header\.tab-run/);
  });

  test("a side of the pair cleared in the pair bar: the focus goes to the button that picks it again, else to the tree", async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    await clickNode(panel, answers[0]!.id);
    await page.click('.detail vscode-button.mark-chosen');
    await clickNode(panel, answers[1]!.id);
    await page.click('.detail vscode-button.mark-rejected');
    await settled(page);
    await press(page, '.preference-bar button[aria-label="Clear chosen"]');
    assert.match(await page.textContent('.preference-bar') ?? '', /Chosen: none/);
    assert.match(await focused(page), /^vscode-button\.mark-chosen/);
    await clickNode(panel, 0);
    await press(page, '.preference-bar button[aria-label="Clear rejected"]');
    assert.match(await focused(page), /^div\.tree-scroller/, 'the root has no Rejected button');
  });

  test('a candidate opened from the list: the focus goes to the Node tab that replaced the list', async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    await page.click('.detail-tabs vscode-tab-header >> text=Candidates');
    await page.waitForSelector('.candidate-row');
    const row = page.locator('.candidate-row').nth(2);
    const nodeId = await row.getAttribute('data-node');
    await press(page, `.candidate-row[data-node="${nodeId}"]`);
    assert.equal(await page.getAttribute('.detail', 'data-node'), nodeId);
    assert.match(await focused(page), /^vscode-tab-header\.node-tab/);
  });
});

describe('keyboard focus after a control disables itself', () => {
  test('Off: the focus goes to the threshold field, to type another one', async () => {
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(events, { autoAcceptAbove: 1.5 }));
    await press(panel.page, '.curation-card vscode-button:has-text("Off")');
    assert.equal(await panel.page.getAttribute('.curation-card vscode-button:has-text("Off")', 'disabled'), '');
    assert.match(await focused(panel.page), /^vscode-textfield/);
    await panel.page.keyboard.type('0.9');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'set-auto-accept', threshold: 0.9 }, 'what is typed goes into the field');
  });

  test('the queue arrows: at either end of the queue the focus moves to the other arrow', async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    await press(page, '.prompt-bar .next-prompt');
    assert.match(await page.textContent('.prompt-bar .prompt-index') ?? '', /^3 \//);
    assert.match(await focused(page), /\.previous-prompt/, 'Next is disabled on the last prompt');
    await press(page, '.prompt-bar .previous-prompt');
    assert.match(await focused(page), /\.previous-prompt/, 'an arrow that stays enabled keeps the focus');
    await press(page, '.prompt-bar .previous-prompt');
    assert.match(await page.textContent('.prompt-bar .prompt-index') ?? '', /^1 \//);
    assert.match(await focused(page), /\.next-prompt/, 'Previous is disabled on the first prompt');
  });
});

describe('keyboard focus in the virtualized prompt queue', () => {
  const PROMPTS = 300;
  const queue: RunEvent[] = [
    { type: 'run-start', runId: 'long', strategy: 'toa', budget: 4, agents: ['a', 'b'] },
    ...Array.from({ length: PROMPTS }, (_, i): RunEvent => ({ type: 'prompt-queued', promptId: `q${i}`, preview: `Prompt number ${i}` })),
  ];

  /** The prompt of the focused row, or what has the focus when it is no prompt row. */
  const focusedPrompt = (page: Page): Promise<string> =>
    page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.prompt ?? `not a row: ${document.activeElement?.tagName}`);
  /** Whether the prompt's row is drawn inside the list's visible box. */
  const inView = (page: Page, id: string): Promise<boolean> =>
    page.evaluate((id) => {
      const row = document.querySelector(`.prompt-row[data-prompt="${id}"]`);
      const box = document.querySelector('.prompt-list .vlist-scroll')!.getBoundingClientRect();
      const r = row?.getBoundingClientRect();
      return !!r && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    }, id);
  const scrollList = async (page: Page, top: number): Promise<void> => {
    await page.$eval('.prompt-list .vlist-scroll', (el, top) => el.scrollTo({ top }), top);
    // The scroll event, then the render it asks for.
    await settled(page);
    await settled(page);
  };

  async function longQueue(): Promise<PanelPage> {
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(queue));
    return panel;
  }

  test('a focused prompt scrolled out of view keeps the focus: no other prompt takes it, and it has it again when back', async () => {
    const { page } = await longQueue();
    await page.focus('.prompt-row[data-prompt="q2"]');
    await scrollList(page, 150 * 26);
    assert.equal(await focusedPrompt(page), 'q2', 'the row element reused for another prompt must not carry the focus to it');
    assert.equal(await page.locator('.prompt-row.vrow[data-prompt="q2"]').count(), 1, 'one row per prompt');
    await scrollList(page, 0);
    assert.equal(await focusedPrompt(page), 'q2');
    assert.ok(await inView(page, 'q2'), 'q2 is back in view');
  });

  test('the arrows move from the focused prompt, wherever the list was scrolled, and bring the next one into view', async () => {
    const { page } = await longQueue();
    await page.focus('.prompt-row[data-prompt="q2"]');
    await scrollList(page, 150 * 26);
    await page.keyboard.press('ArrowDown');
    await settled(page);
    assert.equal(await focusedPrompt(page), 'q3');
    assert.ok(await inView(page, 'q3'), 'the list scrolled back to the focused prompt');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
    await settled(page);
    assert.equal(await focusedPrompt(page), 'q43');
    assert.ok(await inView(page, 'q43'), 'the list follows the arrows');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await settled(page);
    assert.equal(await focusedPrompt(page), `q${PROMPTS - 1}`);
    assert.ok(await inView(page, `q${PROMPTS - 1}`), 'End scrolls to the last prompt');
    await page.keyboard.press('Home');
    await settled(page);
    assert.equal(await focusedPrompt(page), 'q0');
    await page.keyboard.press('Enter');
    await settled(page);
    assert.match(await focused(page), /^vscode-tab-header\.tab-prompt/, 'Enter opens the focused prompt');
    assert.match(await page.textContent('.prompt-bar .prompt-index') ?? '', /^1 \//);
  });

  test('Tab enters the queue at one row and leaves it in one step (one row is tabbable)', async () => {
    const { page } = await longQueue();
    const tabbable = await page.$$eval('.prompt-list .prompt-row', (rows) => rows.filter((r) => r.getAttribute('tabindex') === '0').map((r) => (r as HTMLElement).dataset.prompt));
    assert.deepEqual(tabbable, ['q0']);
    await page.focus('.prompt-row[data-prompt="q0"]');
    await page.keyboard.press('ArrowDown');
    await settled(page);
    const after = await page.$$eval('.prompt-list .prompt-row', (rows) => rows.filter((r) => r.getAttribute('tabindex') === '0').map((r) => (r as HTMLElement).dataset.prompt));
    assert.deepEqual(after, ['q1'], 'the row the arrows reached is the one Tab comes back to');
  });
});
