import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../src/shared/events';
import { announced, axNames } from './fixtures/ax-tree';
import { fakeRunEvents } from './fixtures/fake-run';
import { clickNode, curationMessages, finalTrees, focused, openPromptTab, showSnapshot, snapshotOf, startSuite, until, type Suite } from './fixtures/host';
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

describe('every action from the keyboard alone, and what a screen reader is told', () => {
  const key = async (page: Page, name: string): Promise<void> => {
    await page.keyboard.press(name);
    await settled(page);
  };
  const activeNode = async (page: Page): Promise<number> => Number((await page.getAttribute('toa-tree .tree-scroller', 'aria-activedescendant'))?.replace('tree-node-', ''));

  test('Tab goes through the Prompt tab in reading order: prompt bar, tree tools, tree, node detail', async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    await page.focus('vscode-tab-header.tab-prompt');
    const order: string[] = [];
    for (let i = 0; i < 19; i++) {
      await page.keyboard.press('Tab');
      order.push((await focused(page)).split('.').slice(0, 3).join('.'));
    }
    assert.deepEqual(order, [
      'vscode-tab-panel', 'button.icon-button.previous-prompt', 'button.icon-button.next-prompt', 'button.toggle.follow',
      'vscode-button.accept-best', 'vscode-button.reject-prompt', 'vscode-checkbox.untried',
      'button.icon-button', 'button.zoom-level', 'button.icon-button', 'button.icon-button', 'div.tree-scroller', 'svg.chart',
      'vscode-tab-header.node-tab', 'vscode-tab-panel', 'vscode-button.accept-node', 'vscode-button.edit-node', 'vscode-button.mark-chosen', 'vscode-button.mark-rejected',
    ]);
  });

  test('the tabs: the arrows move between the tab headers, Space or Enter opens the one focused', async () => {
    const panel = await finished();
    const page = panel.page;
    await page.focus('vscode-tab-header.tab-run');
    await key(page, 'ArrowRight');
    assert.match(await focused(page), /^vscode-tab-header\.tab-prompt/);
    await key(page, ' ');
    assert.equal(await page.getAttribute('vscode-tab-header.tab-prompt', 'aria-selected'), 'true', 'Space opened the Prompt tab');
    assert.equal(await page.locator('.prompt-tab').count(), 1);
    await key(page, 'ArrowRight');
    await key(page, 'Enter');
    assert.equal(((await panel.savedState()) as { tab: string }).tab, 'compare', 'Enter opened the Compare tab');
    assert.match(await focused(page), /^vscode-tab-header\.tab-compare/);
  });

  test('the tree: its nodes reach the screen reader as named tree items; Home, End and the arrows move the selection', async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    const items = await axNames(page, 'treeitem');
    assert.equal(items.length, await page.locator('toa-tree g[role="treeitem"]').count(), 'every node drawn is a tree item in the accessibility tree');
    assert.ok(items.includes('Prompt · 21 visits · mean value 0.743'), `the root is named: ${items[0]}`);
    assert.equal(items.filter((name) => name.endsWith(' · best answer')).length, 1, 'the best answer says so');
    assert.equal(await page.getAttribute('toa-tree g[data-id="0"]', 'aria-level'), '1');
    const child = tree.nodes[0]!.children[1]!;
    assert.deepEqual(await page.$eval(`toa-tree g[data-id="${child}"]`, (g) => ['aria-level', 'aria-posinset', 'aria-setsize'].map((a) => g.getAttribute(a))), ['2', '2', String(tree.nodes[0]!.children.length)]);

    await page.focus('toa-tree .tree-scroller');
    await key(page, 'End');
    const last = await activeNode(page);
    assert.notEqual(last, 0);
    assert.equal(await page.locator(`toa-tree g#tree-node-${last}.selected`).count(), 1, 'End selected the node it names');
    await key(page, 'ArrowLeft');
    assert.equal(await activeNode(page), tree.nodes[last]!.parent, 'left: its parent');
    await key(page, 'Home');
    assert.equal(await activeNode(page), 0, 'Home: the prompt');
    assert.match(await page.textContent('.detail .detail-head') ?? '', /Prompt/);
    await key(page, 'ArrowRight');
    assert.equal(await activeNode(page), tree.nodes[0]!.children[0], 'right: the first child');
    assert.match(await focused(page), /tree-scroller/, 'the focus stays on the tree');
  });

  test("the prompt's chart: Tab reaches it, the arrows go from play to play (each read out), Enter shows the play's answer", async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    const plays = [...answers].sort((a, b) => a.play! - b.play!);
    const title = (n: (typeof plays)[number]): string => `play ${n.play} · ${tree.agents[n.agent!]} · ${n.reward!.toFixed(3)} · #${n.id}`;
    /** The name of the play the chart's active descendant points at, as the accessibility tree has it. */
    const activePlay = async (): Promise<string> => {
      const id = await page.getAttribute('.prompt-chart svg.chart', 'aria-activedescendant');
      const names = await axNames(page, 'option');
      const index = await page.$$eval('.prompt-chart circle.dot', (cs, id) => cs.findIndex((c) => c.id === id), id);
      assert.ok(index >= 0, `the active descendant ${id} is a dot`);
      return names[index]!;
    };
    assert.deepEqual(await axNames(page, 'option'), plays.map(title), 'every play is an option named as its tooltip');
    assert.match((await axNames(page, 'listbox'))[0] ?? '', /^Prompt reward against plays: 20 plays, best so far /);

    await page.focus('toa-tree .tree-scroller');
    await key(page, 'Tab');
    assert.match(await focused(page), /^svg\.chart/, 'Tab goes from the tree to its chart');
    await key(page, 'Home');
    assert.equal(await activePlay(), title(plays[0]!));
    await key(page, 'ArrowRight');
    await key(page, 'ArrowRight');
    await key(page, 'ArrowLeft');
    await key(page, 'ArrowDown');
    assert.equal(await activePlay(), title(plays[2]!), 'right and down: the next play; left: the one before');
    assert.equal(await page.textContent('.prompt-chart .active-label'), title(plays[2]!), 'and shown under the chart, for who sees no tooltip');
    assert.equal(await page.isVisible('.prompt-chart .active-label'), true);
    assert.notEqual(await page.getAttribute('.detail', 'data-node'), String(plays[2]!.id), 'moving does not pick');
    await key(page, 'Enter');
    assert.equal(await page.getAttribute('.detail', 'data-node'), String(plays[2]!.id), "Enter shows the play's answer");
    assert.equal(await page.getAttribute(`toa-tree g[data-id="${plays[2]!.id}"]`, 'aria-selected'), 'true', 'and selects it in the tree');
    assert.equal(await page.getAttribute(`#${await page.getAttribute('.prompt-chart svg.chart', 'aria-activedescendant')}`, 'aria-selected'), 'true');
    assert.match(await focused(page), /^svg\.chart/, 'the focus stays on the chart');
    await key(page, 'End');
    assert.equal(await activePlay(), title(plays.at(-1)!));
    await key(page, ' ');
    assert.equal(await page.getAttribute('.detail', 'data-node'), String(plays.at(-1)!.id), 'Space picks too');
    assert.deepEqual(await panel.problems(), []);
  });

  test('Accept best from the keyboard: the host\'s answer is announced, a refusal too; a status nobody asked for here is not', async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    await press(page, '.prompt-bar vscode-button.accept-best');
    assert.equal((await curationMessages(panel)).at(-1)?.type, 'accept');
    assert.equal(await announced(page, 'news'), '', 'nothing until the host answers');
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'accepted', reason: 'sft.jsonl', runId: 'run-1' });
    await settled(page);
    assert.equal(await announced(page, 'news'), 'Prompt 2 accepted: sft.jsonl');
    await panel.send({ type: 'prompt-status', promptId: 'p3', status: 'accepted', reason: 'auto-accepted: sft.jsonl', runId: 'run-1' });
    await settled(page);
    assert.equal(await announced(page, 'news'), 'Prompt 2 accepted: sft.jsonl', 'auto-accept of another prompt is not read out');
    await press(page, '.prompt-bar .previous-prompt');
    await press(page, '.prompt-bar vscode-button.reject-prompt');
    assert.deepEqual((await curationMessages(panel)).at(-1), { type: 'reject', runId: 'run-1', promptId: 'p1' });
    await panel.send({ type: 'prompt-status', promptId: 'p1', status: 'done', reason: 'not saved: the disk is full', level: 'error', runId: 'run-1' });
    await settled(page);
    assert.equal(await announced(page, 'news'), 'Prompt 1: not saved: the disk is full');
  });

  test('a preference pair from the keyboard: nodes picked with the arrows, Chosen and Rejected say they are on, Save pair is announced', async () => {
    const panel = await finished();
    const page = panel.page;
    await openPromptTab(panel, 'p2');
    await page.focus('toa-tree .tree-scroller');
    await key(page, 'Home');
    await key(page, 'ArrowRight');
    await key(page, 'ArrowRight');
    const chosen = await activeNode(page);
    assert.equal(tree.nodes[chosen]?.kind, 'response');
    await press(page, '.detail vscode-button.mark-chosen');
    assert.equal(await page.getAttribute('.detail vscode-button.mark-chosen', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('.detail vscode-button.mark-rejected', 'aria-pressed'), 'false');
    await page.focus('toa-tree .tree-scroller');
    await key(page, 'ArrowDown');
    const rejected = await activeNode(page);
    assert.equal(tree.nodes[rejected]?.kind, 'response');
    assert.notEqual(rejected, chosen);
    assert.equal(await page.getAttribute('.detail vscode-button.mark-chosen', 'aria-pressed'), 'false', 'this answer is not the chosen one');
    await press(page, '.detail vscode-button.mark-rejected', ' ');
    assert.equal(await page.getAttribute('.detail vscode-button.mark-rejected', 'aria-pressed'), 'true');
    await press(page, '.preference-bar vscode-button.save-pair');
    assert.deepEqual((await curationMessages(panel)).at(-1), { type: 'preference', runId: 'run-1', promptId: 'p2', chosen, rejected });
    assert.match(await focused(page), /tree-scroller/);
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'done', reason: 'preference pair -> data/preference.jsonl', runId: 'run-1' });
    await settled(page);
    assert.equal(await announced(page, 'news'), 'Prompt 2 done: preference pair -> data/preference.jsonl');
  });

  test("a run's warning is read out once as it arrives, from a region that was there before it; the warning a reopened panel shows is not", async () => {
    const warning = { type: 'run-warning', code: 'tau-scale', message: 'search.tau 0.1 is small for these scores: set search.tau to about 2.', suggestedTau: 2 } as const;
    const reopened = await suite.open();
    await showSnapshot(reopened, { ...snapshotOf(events), warnings: [warning] });
    assert.equal(await reopened.page.locator('.run-warning').count(), 1);
    assert.equal(await announced(reopened.page, 'news'), '', 'the warning of a run already shown is not read again');

    const panel = await suite.open();
    const page = panel.page;
    const start = until(events, (e) => e.type === 'play-done');
    await showSnapshot(panel, snapshotOf(start));
    const said = await page.evaluateHandle(() => {
      const region = document.querySelector('[data-announce="news"]')!;
      const texts: string[] = [];
      new MutationObserver(() => texts.push((region.textContent ?? '').trim())).observe(region, { subtree: true, characterData: true, childList: true });
      return texts;
    });
    const rest = events.slice(start.length);
    await panel.send({ type: 'events', events: [...rest.slice(0, 10), warning] });
    await settled(page);
    await panel.send({ type: 'events', events: [warning, ...rest.slice(10)] });
    await settled(page);
    assert.deepEqual(await said.jsonValue(), [`Warning: ${warning.message}`], 'read once, not again with the events after it');
    assert.equal(await page.locator('.run-warning').getAttribute('role'), null, 'the notice is no live region of its own (one inserted is not reliably read)');
  });

  test('Cancel run from the keyboard: the cancel is posted, and what the run still does is announced', async () => {
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(until(events, (e) => e.type === 'run-done')));
    assert.match(await announced(page, 'run'), /^Running: /);
    await press(page, '.run-header vscode-button');
    assert.deepEqual(await curationMessages(panel), [{ type: 'cancel', runId: 'run-1' }]);
    await panel.send({ type: 'events', events: [{ type: 'run-cancelling', saving: ['p3'] }] });
    await settled(page);
    assert.equal(await announced(page, 'run'), 'Cancelling: writing the outputs of 1 finished prompt (p3) before it stops');
  });
});
