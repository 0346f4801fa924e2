import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { diffLines, diffWordsWithSpace } from 'diff';
import type { Page } from 'playwright-core';
import { PanelChannel, persistableSnapshot, restoredSnapshot } from '../../src/extension/panel/panel-channel';
import type { RunEvent } from '../../src/shared/events';
import type { CompareRow, HostToWebview, PanelSnapshot } from '../../src/shared/protocol';
import type { SearchTree, TreeNode } from '../../src/shared/tree';
import { fakeRunEvents, resumedRunEvents } from './fixtures/fake-run';
import {
  asRgb, clickNode, curationMessages, drawnNodes, finalTrees, focused, openPromptTab, rgb, segments, showSnapshot, snapshotOf, startSuite, stream, until, type Suite,
} from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';
import { themeFor } from './fixtures/themes';

/**
 * The panel in a real browser, driven only through the protocol (snapshot and events messages,
 * as the host sends them) and real clicks; expectations come from the fake run's own trees.
 */

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

const DARK = themeFor('dark').variables;
const AGENT_COLOURS = ['blue', 'orange', 'purple', 'green'].map((c) => rgb(DARK[`--vscode-charts-${c}`]!));

/** The panel formats rewards with 3 decimals below 10 (see webview/format.ts). */
const fmt = (r: number | null | undefined): string => (r === undefined || r === null ? '–' : r.toFixed(3));

function responses(tree: SearchTree): TreeNode[] {
  return tree.nodes.filter((n) => n.kind === 'response');
}

function best(tree: SearchTree): TreeNode {
  return responses(tree).reduce((a, b) => ((b.reward ?? -Infinity) > (a.reward ?? -Infinity) ? b : a));
}

function rootPath(tree: SearchTree, id: number): number[] {
  const path: number[] = [];
  for (let n: TreeNode | undefined = tree.nodes[id]; n; n = n.parent === null ? undefined : tree.nodes[n.parent]) path.unshift(n.id);
  return path;
}

/** What the tree shows by default: everything but the untried agent nodes below the first layer. */
function visibleIds(tree: SearchTree): number[] {
  return tree.nodes.filter((n) => !(n.kind === 'agent' && n.children.length === 0 && n.parent !== 0)).map((n) => n.id);
}

function edgeMode(tree: SearchTree, n: TreeNode): string {
  return n.kind === 'agent' ? (n.mode ?? 'scratch') : (tree.nodes[n.parent!]!.mode ?? 'scratch');
}

/** A response that refined another one and changed its text. */
function refinedResponse(tree: SearchTree): { node: TreeNode; source: TreeNode } {
  const node = responses(tree).find((n) => n.sources?.length && tree.nodes[n.sources[0]!]!.text !== n.text);
  assert.ok(node, 'the fake run has a refined response');
  return { node, source: tree.nodes[node.sources![0]!]! };
}

async function facts(page: Page): Promise<Record<string, string>> {
  const pairs = await page.$$eval('.detail dl.facts > div', (divs) => divs.map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent?.trim() ?? '']));
  return Object.fromEntries(pairs);
}

async function noProblems(panel: PanelPage): Promise<void> {
  assert.deepEqual(await panel.problems(), []);
}

/** The Prompt tab draws this tree: every shown node, each response with its reward, visits and agent. */
async function assertTreeDrawn(page: Page, tree: SearchTree): Promise<void> {
  const drawn = await drawnNodes(page);
  assert.deepEqual(drawn.map((n) => n.id).sort((a, b) => a - b), visibleIds(tree), `${tree.promptId}: the nodes drawn`);
  const counts = (await page.textContent('.tree-counts'))!;
  assert.equal(counts, `${responses(tree).length} responses · ${tree.nodes.length} nodes · ${tree.plays}/${tree.budget} plays`);
  for (const d of drawn) {
    const n = tree.nodes[d.id]!;
    assert.ok(d.classes.includes(n.kind), `#${n.id} is a ${n.kind}`);
    if (n.kind === 'root') assert.equal(d.label, 'prompt');
    if (n.kind !== 'response') continue;
    assert.ok(d.classes.includes(`a${n.agent}`), `#${n.id} is coloured by its agent`);
    assert.equal(d.label, fmt(n.reward), `#${n.id} shows its reward`);
    assert.equal(d.visits, `×${n.visits}`, `#${n.id} shows its visits`);
    assert.match(d.title, new RegExp(`^#${n.id} · ${tree.agents[n.agent!]} · reward ${fmt(n.reward).replace('.', '\\.')}`));
  }
  assert.deepEqual(drawn.filter((n) => n.classes.includes('best')).map((n) => n.id), [best(tree).id], `${tree.promptId}: the best response`);
}

async function openFinished(events: RunEvent[], promptId: string): Promise<PanelPage> {
  const panel = await suite.open();
  await showSnapshot(panel, snapshotOf(events));
  await openPromptTab(panel, promptId);
  return panel;
}

describe('run tab', () => {
  test('lists every agent with its statistics', async () => {
    const events = fakeRunEvents({ prompts: 4, budget: 12 });
    const stats = events.find((e) => e.type === 'stats')!;
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(events));
    const rows = await panel.page.$$eval('.agents-table tbody tr', (trs) => trs.map((tr) => ({
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()),
      swatch: tr.querySelector('.swatch') && getComputedStyle(tr.querySelector('.swatch')!).backgroundColor,
    })));
    assert.equal(rows.length, 5, 'four agents and the reward model');
    stats.agents.forEach((a, i) => {
      const [name, calls, errors, mean, share] = rows[i]!.cells;
      assert.equal(name, a.name);
      assert.equal(calls, String(a.calls));
      assert.equal(errors, `${a.failures || a.retries ? `${a.failures} / ${a.retries}↻` : '0'}${a.cutOff ? ` · ${a.cutOff}✂` : ''}`);
      assert.equal(mean, fmt(a.meanReward));
      assert.equal(share!.replace(/\s/g, ''), `${Math.round(a.winShare * 100)}%(${a.wins})`);
      assert.equal(asRgb(rows[i]!.swatch ?? ''), AGENT_COLOURS[i], `${a.name} is drawn in its chart colour`);
    });
    // The limit goes out as max_tokens or max_completion_tokens (request-body.ts): the titles name neither as the one hit.
    const cut = stats.agents.findIndex((a) => a.cutOff > 0);
    const titles = await panel.page.$$eval('.agents-table tbody tr', (trs, i) => [trs[i]!.querySelector('td:nth-child(3)')!.getAttribute('title'), trs[i]!.querySelector('.warning-text')!.getAttribute('title')], cut);
    const a = stats.agents[cut]!;
    assert.deepEqual(titles, [
      `${a.failures} failed, ${a.retries} retried, ${a.cutOff} cut off at the token limit`,
      'Replies that stopped at the token limit: raise max_tokens (or max_completion_tokens, whichever this agent sets)',
    ]);
    const reward = stats.totals.reward!;
    const [name, calls, errors, , , , latency] = rows[4]!.cells;
    assert.deepEqual([name, calls, errors, latency], [`${reward.name} (reward)`, String(reward.calls), '1 / 3↻', '38 ms']);
    assert.match(await panel.page.innerText('.run-header'), /Finished.*4 agents · budget 12/s);
    // A run a cancel or an error ended says so.
    await showSnapshot(panel, { ...snapshotOf(events), outcome: 'cancelled' });
    assert.match(await panel.page.innerText('.run-header'), /Cancelled/);
    await showSnapshot(panel, { ...snapshotOf(events), outcome: 'stopped' });
    assert.match(await panel.page.innerText('.run-header'), /Stopped by an error/);
    await noProblems(panel);
  });
  test('wins shared by agents tied for a prompt\'s best answer show as parts, and the header says how they count', async () => {
    const snapshot = snapshotOf(fakeRunEvents({ prompts: 4, budget: 12 }));
    const panel = await suite.open();
    // Two prompts tied between the first two agents: a half each.
    const wins = [2.5, 1.5];
    const agentStats = snapshot.agentStats.map((a, i) => ({ ...a, wins: wins[i] ?? 0, winShare: (wins[i] ?? 0) / 4 }));
    await showSnapshot(panel, { ...snapshot, agentStats });
    const cells = await panel.page.locator('.agents-table tbody td.share-col').allInnerTexts();
    assert.match(cells[0]!, /\(2\.5\)/);
    assert.match(cells[1]!, /\(1\.5\)/);
    assert.match((await panel.page.getAttribute('.agents-table th.share-col', 'title'))!, /several agents reached counts a share to each/);
    await noProblems(panel);
  });

  test('a run the simulator answered says so in the header; one of the configured endpoints does not', async () => {
    const events = fakeRunEvents({ prompts: 2, budget: 8 });
    const panel = await suite.open();
    await showSnapshot(panel, { ...snapshotOf(events), endpoints: 'simulator' });
    const tag = panel.page.locator('.run-header .simulated-tag');
    assert.equal((await tag.textContent())?.trim(), 'simulated endpoints');
    assert.match((await tag.getAttribute('title'))!, /not real models/);
    assert.equal(await tag.isVisible(), true);
    await showSnapshot(panel, { ...snapshotOf(events), endpoints: 'workspace' });
    assert.equal(await tag.count(), 0);
    await noProblems(panel);
  });

  test('in a narrow panel the header wraps whole pieces: nothing runs off its right edge, "5 agents · budget 16" stays one line', async () => {
    const events = fakeRunEvents({ prompts: 2, budget: 8 });
    const panel = await suite.open({ width: 262, height: 800 });
    await showSnapshot(panel, { ...snapshotOf(events), endpoints: 'simulator' });
    const layout = await panel.page.$eval('.run-header', (header) => {
      const right = header.getBoundingClientRect().right;
      const title = header.querySelector('.run-title')!;
      return {
        overflow: [...title.children].filter((el) => el.getBoundingClientRect().right > right + 1).map((el) => el.className),
        agentsHeight: title.querySelector('.muted')!.getBoundingClientRect().height,
        lineHeight: title.querySelector('.run-state')!.getBoundingClientRect().height,
      };
    });
    assert.deepEqual(layout.overflow, [], 'no part of the title runs off the panel');
    assert.ok(layout.agentsHeight <= layout.lineHeight + 2, `the agents and budget stay on one line: ${JSON.stringify(layout)}`);
    await noProblems(panel);
  });

  test('counts of one read in the singular: "1 agent" in the header, "1 response" over the tree', async () => {
    const events = fakeRunEvents({ agents: ['solo'], prompts: 1, budget: 1 });
    const tree = finalTrees(events).get('p1')!;
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(events));
    assert.match(await panel.page.innerText('.run-header'), /Finished.*\b1 agent · budget 1\b/s);
    await openPromptTab(panel, 'p1');
    assert.equal(responses(tree).length, 1, 'the fake run made one answer');
    assert.equal(await panel.page.textContent('.tree-counts'), `1 response · ${tree.nodes.length} nodes · 1/1 plays`);
    await noProblems(panel);
  });

  test('a cancelled run counts only the prompts whose search ended', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 6 });
    const done = snapshotOf(events);
    const cut = done.prompts.map((p, i) => (i === 0 ? p : { ...p, status: 'cancelled' as const, reason: 'cut short' }));
    const panel = await suite.open();
    await showSnapshot(panel, { ...done, outcome: 'cancelled', prompts: cut });
    const header = (await panel.page.innerText('.run-header')).replace(/\s+/g, ' ');
    assert.match(header, /Cancelled/);
    assert.match(header, /Prompts 1 \/ 3/);
    await noProblems(panel);
  });

  test('a cancelled run still writing finished prompts\' outputs says Cancelling and what it waits for, in place of Cancel run', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 6 });
    const done = events.find((e) => e.type === 'run-done')!;
    const panel = await suite.open();
    await showSnapshot(panel, { ...snapshotOf(until(events, (e) => e === done)), running: true });
    await panel.send({ type: 'events', events: [{ type: 'run-cancelling', saving: ['p2', 'p3'] }] });
    await settled(panel.page);
    const header = (): Promise<string> => panel.page.innerText('.run-header').then((text) => text.replace(/\s+/g, ' '));
    assert.match(await header(), /Cancelling/);
    assert.equal(await panel.page.locator('.run-header .cancelling').innerText(), 'writing the outputs of 2 finished prompts (p2, p3) before it stops');
    assert.equal(await panel.page.getByRole('button', { name: 'Cancel run' }).count(), 0, 'a second cancel would do nothing more');
    await panel.send({ type: 'events', events: [{ type: 'run-cancelling', saving: [] }, { ...done, cancelled: true }] });
    await settled(panel.page);
    assert.match(await header(), /Cancelled/);
    assert.equal(await panel.page.locator('.run-header .cancelling').count(), 0);
    await noProblems(panel);
  });

  test('a run being set up says Preparing and what it is doing, with Cancel run, until its first event', async () => {
    const events = fakeRunEvents({ prompts: 2, budget: 4 });
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(events));
    const header = (): Promise<string> => panel.page.innerText('.run-header').then((text) => text.replace(/\s+/g, ' '));
    assert.match(await header(), /Finished/);
    assert.equal(await panel.page.getByRole('button', { name: 'Cancel run' }).count(), 0, 'the run before has ended');

    await panel.send({ type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'reading data/traces.jsonl for the prompts already done' } });
    await settled(panel.page);
    assert.match(await header(), /Preparing/);
    assert.equal(await panel.page.locator('.run-header .preparing-step').innerText(), 'reading data/traces.jsonl for the prompts already done…');
    // How far a step got is shown after it; the live region keeps to the step (announcements.ts).
    await panel.send({ type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'reading the prompts', progress: '4,096 of 300,001 lines' } });
    await settled(panel.page);
    assert.equal(await panel.page.locator('.run-header .preparing-step').innerText(), 'reading the prompts (4,096 of 300,001 lines)…');
    assert.equal(await panel.page.locator('[data-announce="run"]').textContent(), 'Preparing a run: reading the prompts');
    await panel.page.getByRole('button', { name: 'Cancel run' }).click();
    assert.deepEqual(await curationMessages(panel), [{ type: 'cancel', runId: null }], 'a run being set up has no id yet');

    // Cancelled during the read, the run starts cancelled and ends as such (see RunController).
    const start = { ...events[0]!, runId: 'r2' } as RunEvent;
    await panel.send({ type: 'events', events: [start] });
    await settled(panel.page);
    assert.match(await header(), /Running/);
    assert.doesNotMatch(await header(), /Preparing/);
    await panel.send({ type: 'events', events: [{ ...events.at(-1)!, cancelled: true } as RunEvent] });
    await settled(panel.page);
    assert.match(await header(), /Cancelled/);

    // A setup that ends without a run leaves the run before as it was.
    await panel.send({ type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'checking the API keys' } });
    await panel.send({ type: 'preparing', preparing: null });
    await settled(panel.page);
    assert.match(await header(), /Cancelled/);
    await noProblems(panel);
  });

  test('a run whose input is known counts all of it, not only the prompts queued so far', async () => {
    // The core queues prompts a few ahead of the searches: three of 1,319 rows are queued here.
    const events = fakeRunEvents({ prompts: 3, budget: 6 }).map((e) => (e.type === 'run-start' ? { ...e, prompts: 1319 } : e));
    const running = events.slice(0, events.findIndex((e) => e.type === 'prompt-done') + 1);
    const panel = await suite.open();
    await showSnapshot(panel, { ...snapshotOf(running), running: true });
    const header = (await panel.page.innerText('.run-header')).replace(/\s+/g, ' ');
    assert.match(header, /Prompts 1 \/ 1,319/);
    assert.equal(await panel.page.getAttribute('.run-progress', 'aria-valuemax'), String(6 * 1319), 'the budget of every prompt to search');
    await noProblems(panel);
  });

  test('a run warning shows under the header, as text, until the next run starts', async () => {
    const events = fakeRunEvents({ prompts: 2, budget: 8 });
    const message = "search.tau 0.1 is small for this reward model's scores (-6 to 6 in the first 32 plays): <b>88%</b> of them saturate. Set search.tau to about 2.";
    const panel = await suite.open();
    const page = panel.page;
    await panel.send({ type: 'events', events: [...events.slice(0, 4), { type: 'run-warning', code: 'tau-scale', message, suggestedTau: 2 }] });
    await settled(page);
    const warning = page.locator('.run-warning[data-code="tau-scale"]');
    assert.equal(await warning.locator('.notice-text').textContent(), message);
    assert.equal(await warning.isVisible(), true);
    assert.equal(await page.locator('.run-warning b').count(), 0, 'the message is text, not markup');
    await panel.send({ type: 'events', events: [{ type: 'run-start', runId: 'next', strategy: 'toa', budget: 8, agents: ['a'] }] });
    await settled(page);
    assert.equal(await page.locator('.run-warning').count(), 0);
    await noProblems(panel);
  });

  test('shows the prompt queue with each prompt\'s status, best reward and plays', async () => {
    const all = fakeRunEvents({ prompts: 6, budget: 12, seed: 3 });
    const of = (id: string): RunEvent[] => all.filter((e) => 'promptId' in e && e.promptId === id && e.type !== 'prompt-queued');
    const p5 = of('p5');
    const fifthPlay = p5.filter((e) => e.type === 'play-done')[4]!;
    const events: RunEvent[] = [
      ...all.filter((e) => e.type === 'run-start' || e.type === 'prompt-queued'),
      ...of('p1'), ...of('p2'),
      { type: 'prompt-start', promptId: 'p3' },
      { type: 'prompt-failed', promptId: 'p3', error: 'HTTP 429 from qwen2.5-72b after 3 retries' },
      { type: 'prompt-skipped', promptId: 'p4' },
      ...p5.slice(0, p5.indexOf(fifthPlay) + 1),
    ];
    const panel = await suite.open();
    await panel.send({ type: 'snapshot', snapshot: snapshotOf([]) });
    await stream(panel, events, 40);
    await panel.send({ type: 'prompt-status', promptId: 'p1', status: 'accepted', reason: 'out/sft.jsonl' });
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'rejected' });
    await settled(panel.page);

    const rows = await panel.page.$$eval('.prompt-list .prompt-row', (els) => els.map((r) => ({
      id: (r as HTMLElement).dataset.prompt,
      status: r.querySelector('.status > span:last-child')?.textContent,
      icon: [...r.querySelector('.status-icon')!.classList].find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin'),
      preview: r.querySelector('.preview-cell')?.textContent,
      best: r.querySelectorAll('.cell.num')[0]?.textContent,
      plays: r.querySelectorAll('.cell.num')[1]?.textContent,
    })));
    const trees = finalTrees(all);
    const p5Best = Math.max(...p5.filter((e) => e.type === 'play-done').slice(0, 5).map((e) => (e as { reward: number }).reward));
    assert.deepEqual(rows.map((r) => [r.id, r.status, r.icon, r.best, r.plays]), [
      ['p1', 'accepted', 'codicon-pass-filled', fmt(best(trees.get('p1')!).reward), '12'],
      ['p2', 'rejected', 'codicon-circle-slash', fmt(best(trees.get('p2')!).reward), '12'],
      ['p3', 'failed', 'codicon-error', '–', '0'],
      ['p4', 'skipped', 'codicon-debug-step-over', '–', '0'],
      ['p5', 'searching', 'codicon-loading', fmt(p5Best), '5'],
      ['p6', 'waiting', 'codicon-circle-large-outline', '–', '0'],
    ]);
    assert.match(rows[0]!.preview!, /^Prompt p1: .* — out\/sft\.jsonl$/);
    assert.match(rows[2]!.preview!, /HTTP 429 from qwen2\.5-72b after 3 retries/);
    // The searching prompt's icon spins; nothing else does.
    assert.equal(await panel.page.locator('.prompt-row .codicon-modifier-spin').count(), 1);
    assert.equal(await panel.page.locator('.prompt-row[data-prompt="p5"] .codicon-modifier-spin').count(), 1);

    const header = (await panel.page.innerText('.run-header')).replace(/\s+/g, ' ');
    assert.match(header, /Running/);
    // p4 was skipped: of the five prompts this run searches, three ended.
    assert.match(header, /Prompts 3 \/ 5 Already done 1 /);
    assert.match(header, /Plays 29/);
    assert.equal(await panel.page.getAttribute('.run-progress', 'aria-valuenow'), '29');
    assert.equal(await panel.page.getAttribute('.run-progress', 'aria-valuemax'), '60', 'the budget of the five prompts searched');
    const done = await panel.page.$eval('.run-progress-done', (el) => (el as HTMLElement).style.transform);
    assert.equal(done, `scaleX(${(29 / 60).toFixed(6)})`, 'the bar shows the plays done');

    await panel.page.getByRole('button', { name: 'Cancel run' }).click();
    assert.deepEqual(await curationMessages(panel), [{ type: 'cancel', runId: 'run-1' }]);
    await noProblems(panel);
  });

  test('a resumed run: the header counts the prompts it searched, and the ones already in the trace apart', async () => {
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(resumedRunEvents(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { prompts: 8, budget: 3 })));
    const header = (await panel.page.innerText('.run-header')).replace(/\s+/g, ' ');
    assert.match(header, /Prompts 2 \/ 2 Already done 6 Plays/);
    assert.match(await panel.page.getAttribute('.run-header .already-done', 'title') ?? '', /the trace output already holds/);
    const skipped = await panel.page.$eval('.prompt-list .prompt-row[data-prompt="p1"] .preview-cell', (el) => el.textContent);
    assert.match(skipped ?? '', / — already done: its search is in the trace output$/);
    // Its Prompt tab has no tree to decide on: the closed Accept best and Reject say where it is.
    await panel.page.click('.prompt-row[data-prompt="p1"]');
    await settled(panel.page);
    const why = 'Already done: its search is in the trace output. Open it with the Show tree lens on its line to decide';
    for (const button of ['accept-best', 'reject-prompt']) {
      const state = await Promise.all(['disabled', 'title'].map((a) => panel.page.getAttribute(`.prompt-bar vscode-button.${button}`, a)));
      assert.deepEqual(state, ['', why], `${button} of a skipped prompt`);
    }
    await noProblems(panel);
  });

  test('after a window reload the header counts every prompt of the run, though the saved snapshot lists only the newest', async () => {
    // A resumed run of 40 prompts (6 already done), the window reloaded before its totals came.
    const events = resumedRunEvents(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { prompts: 40, budget: 3 });
    const channel = new PanelChannel();
    for (const e of events.slice(0, events.findIndex((e) => e.type === 'stats'))) channel.pushEvent(e);
    const panel = await suite.open();
    const headerOf = async (snapshot: PanelSnapshot): Promise<string> => {
      await showSnapshot(panel, snapshot);
      return (await panel.page.innerText('.run-header')).replace(/\s+/g, ' ');
    };
    const live = await headerOf(structuredClone(channel.snapshot));
    const reloaded = restoredSnapshot(JSON.parse(JSON.stringify(persistableSnapshot(channel.snapshot, 3, 5))) as PanelSnapshot);
    channel.dispose();
    assert.equal(reloaded.prompts.length, 5);
    const header = await headerOf(reloaded);
    const counts = /Prompts .* Plays \d+/;
    assert.equal(counts.exec(header)?.[0], 'Prompts 34 / 34 Already done 6 Plays 102');
    assert.equal(counts.exec(header)?.[0], counts.exec(live)?.[0], 'as the live run counted them');
    // The list's badge counts the run's prompts too, and the list says it is not all of them.
    assert.equal(await panel.page.textContent('.prompts-card .card-title vscode-badge'), '40');
    assert.match((await panel.page.textContent('.prompts-card .left-out-note'))!.replace(/\s+/g, ' '), /^35 earlier prompts of this run are not listed since the window reloaded/);
    await noProblems(panel);
  });

  test('in a very narrow panel the prompt list gives its width to the prompt text; at normal widths it keeps every column', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 6 });
    const best = fmt(snapshotOf(events).prompts[0]!.bestReward);
    /** The first row's width, its prompt cell's, and the text of each cell drawn wider than a pixel. */
    const columns = async (panel: PanelPage): Promise<{ list: number; preview: number; shown: string[] }> => panel.page.$eval('.prompt-list .prompt-row', (row) => {
      const drawn = (el: Element): boolean => el.getBoundingClientRect().width > 1;
      const iconOnly = (cell: Element): boolean => cell.classList.contains('status-cell') && !drawn(cell.querySelector('.status-text')!);
      const text = (cell: Element): string => (iconOnly(cell) ? '(icon)' : (cell as HTMLElement).innerText.trim());
      return {
        list: row.getBoundingClientRect().width,
        preview: row.querySelector('.preview-cell')!.getBoundingClientRect().width,
        shown: [...row.querySelectorAll('.cell')].filter(drawn).map(text),
      };
    });
    const narrow = await suite.open({ width: 210, height: 900 });
    await showSnapshot(narrow, snapshotOf(events));
    const n = await columns(narrow);
    assert.ok(n.preview >= 80 && n.preview >= n.list * 0.45, `the prompt text gets ${n.preview}px of ${n.list}px`);
    assert.deepEqual([n.shown[0], n.shown[2]], ['(icon)', best], 'the status shows as its icon; Plays gives way');
    assert.equal(n.shown.length, 3);
    assert.equal(await narrow.page.getAttribute('.prompt-list .status-cell', 'title'), 'done', 'the status word is in the tooltip');
    assert.equal(await narrow.page.textContent('.prompt-list .status-cell .status-text'), 'done', 'and in the row for screen readers');
    const wide = await suite.open({ width: 1280 });
    await showSnapshot(wide, snapshotOf(events));
    const w = await columns(wide);
    assert.deepEqual([w.shown[0], w.shown[2], w.shown[3]], ['Done', best, '6']);
    await noProblems(narrow);
    await noProblems(wide);
  });

  test("at half width the agents table says it scrolls sideways and holds each agent's name in view; at full width it fits and says nothing", async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 20, seed: 8 });
    /** Where the table's columns lie against its box, and what marks that box scrolls. */
    const layout = (panel: PanelPage): Promise<{ headers: string[]; hidden: string[]; hint: boolean; edges: string[]; tabindex: string | null; nameInView: boolean }> =>
      panel.page.$eval('.agents-card', (card) => {
        const box = card.querySelector('[role="region"]') ?? card;
        const area = box.getBoundingClientRect();
        const headers = [...card.querySelectorAll('thead th')];
        const name = card.querySelector('tbody td')!.getBoundingClientRect();
        return {
          headers: headers.map((th) => th.textContent!.trim()),
          hidden: headers.filter((th) => th.getBoundingClientRect().right > area.right + 1 || th.getBoundingClientRect().left < area.left - 1).map((th) => th.textContent!.trim()),
          hint: (card.querySelector('.scroll-hint')?.getBoundingClientRect().width ?? 0) > 0,
          edges: ['data-more-left', 'data-more-right'].filter((a) => box.hasAttribute(a)),
          tabindex: box.getAttribute('tabindex'),
          nameInView: name.left >= area.left - 1 && name.right <= area.right + 1,
        };
      });
    const all = ['Agent', 'Calls', 'Errors', 'Mean reward', 'Best answers', 'Tokens', 'Median latency', 'Cost'];
    const half = await suite.open({ width: 480, height: 800 });
    await showSnapshot(half, snapshotOf(events));
    const start = await layout(half);
    assert.deepEqual(start.headers, all);
    assert.ok(start.hidden.length > 0 && !start.hidden.includes('Agent'), `some columns lie beyond the right edge: ${JSON.stringify(start)}`);
    assert.deepEqual([start.hint, start.edges, start.tabindex, start.nameInView], [true, ['data-more-right'], '0', true], 'the hint and the right edge say so; the box takes the keyboard');
    // The keyboard scrolls it: focused, the arrow keys move it along to its end.
    await half.page.focus('.agents-card [role="region"]');
    for (let i = 0; i < 20; i++) await half.page.keyboard.press('ArrowRight');
    // Keyboard scrolling is animated: under load it is still on its way after the last key.
    await half.page.waitForFunction(() => {
      const box = document.querySelector('.agents-card [role="region"]')!;
      return box.scrollLeft >= box.scrollWidth - box.clientWidth - 1;
    });
    await settled(half.page);
    const end = await layout(half);
    assert.deepEqual([end.hint, end.edges, end.nameInView], [false, ['data-more-left'], true], `at its end the left edge says what lies under the name, still in view: ${JSON.stringify(end)}`);
    for (const h of start.hidden) assert.ok(!end.hidden.includes(h), `${h} scrolled into view: ${JSON.stringify(end)}`);
    // Screen readers still meet a table, named columns and all, in a region named for it.
    const region = half.page.getByRole('region', { name: 'Agent statistics' });
    assert.equal(await region.getByRole('table').count(), 1);
    assert.deepEqual(await region.getByRole('columnheader').allTextContents(), all);
    const wide = await suite.open({ width: 1280 });
    await showSnapshot(wide, snapshotOf(events));
    const full = await layout(wide);
    assert.deepEqual([full.hidden, full.hint, full.edges, full.tabindex], [[], false, [], null], 'a table that fits adds no hint, edge or tab stop');
    await noProblems(half);
    await noProblems(wide);
  });

  test('plots the run\'s mean reward against plays', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 16 });
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(events));
    await panel.page.waitForSelector('.run-chart circle.dot');
    const titles = await panel.page.$$eval('.run-chart circle.dot title', (ts) => ts.map((t) => t.textContent));
    assert.equal(titles.length, 16, 'one dot per play count k');
    // Mean over the prompts of the k-th play's reward.
    const byPrompt = new Map<string, number[]>();
    for (const e of events) if (e.type === 'play-done') byPrompt.set(e.promptId, [...(byPrompt.get(e.promptId) ?? []), e.reward]);
    for (const k of [1, 8, 16]) {
      const mean = [...byPrompt.values()].reduce((s, r) => s + r[k - 1]!, 0) / byPrompt.size;
      assert.equal(titles[k - 1], `play ${k} · mean reward · ${fmt(mean)}`);
    }
    assert.ok(segments(await panel.page.getAttribute('.run-chart path.best-line', 'd')) === 1, 'best-so-far is one step line');
    await noProblems(panel);
  });
});

describe('live tree', () => {
  test('follows the prompt being searched and draws its tree as it grows', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 24, seed: 5 });
    const trees = finalTrees(events);
    const tree = trees.get('p2')!;
    const panel = await suite.open();
    await panel.send({ type: 'snapshot', snapshot: snapshotOf([]) });
    await panel.page.click('.tab-prompt');

    // Half-way through p2: the Prompt tab follows it.
    const tenth = events.filter((e) => e.type === 'play-done' && e.promptId === 'p2')[9]!;
    const first = events.slice(0, events.indexOf(tenth) + 1);
    await stream(panel, first, 25);
    assert.match((await panel.page.textContent('.prompt-bar'))!, /2 \/ 3\s*searching\s*Prompt p2/);
    assert.equal(await panel.page.locator('.prompt-chart circle.dot').count(), 10);

    // The rest of p2's search, without its prompt-done: the tree is rebuilt from the stream.
    const searched = until(events, (e) => e.type === 'prompt-done' && e.promptId === 'p2');
    await stream(panel, searched.slice(first.length), 25);
    await assertTreeDrawn(panel.page, tree);

    // Untried agent nodes appear on request, and then every node is drawn.
    await panel.page.click('vscode-checkbox.untried');
    await settled(panel.page);
    assert.equal((await drawnNodes(panel.page)).length, tree.nodes.length);
    await panel.page.click('vscode-checkbox.untried');
    await settled(panel.page);

    // The next prompt starts: following moves on to it.
    await stream(panel, until(events, (e) => e.type === 'play-done' && e.promptId === 'p3').slice(searched.length), 50);
    assert.match((await panel.page.textContent('.prompt-bar'))!, /3 \/ 3\s*searching\s*Prompt p3/);
    await noProblems(panel);
  });

  test('colours nodes by agent, draws scratch and refine edges and highlights the best path', async () => {
    const events = fakeRunEvents({ prompts: 2, budget: 24, seed: 9 });
    const tree = finalTrees(events).get('p1')!;
    const panel = await openFinished(events, 'p1');
    const page = panel.page;

    // Agent colours come from the theme's chart palette.
    for (let a = 0; a < 4; a++) {
      const id = responses(tree).find((n) => n.agent === a)!.id;
      const fill = await page.$eval(`toa-tree g[data-id="${id}"] .stripe`, (el) => getComputedStyle(el).fill);
      assert.equal(asRgb(fill), AGENT_COLOURS[a], `agent ${a}'s responses`);
    }

    // One curve per drawn edge, in the style of the call it stands for.
    const shown = new Set(visibleIds(tree));
    const expected = { scratch: 0, refine: 0 };
    for (const id of shown) if (id !== 0) expected[edgeMode(tree, tree.nodes[id]!) as 'scratch' | 'refine'] += 1;
    assert.ok(expected.scratch > 0 && expected.refine > 0, 'the tree has both kinds of edge');
    assert.equal(segments(await page.getAttribute('toa-tree path.edge.scratch', 'd')), expected.scratch);
    assert.equal(segments(await page.getAttribute('toa-tree path.edge.refine', 'd')), expected.refine);
    const dash = (cls: string): Promise<string> => page.$eval(`toa-tree path.edge.${cls}`, (el) => getComputedStyle(el).strokeDasharray);
    assert.notEqual(await dash('scratch'), 'none', 'from-scratch edges are dashed');
    assert.equal(await dash('refine'), 'none', 'refine edges are solid');
    const legend = (await page.textContent('.tree-legend'))!;
    for (const word of [...tree.agents, 'from scratch', 'refine', 'best path']) assert.ok(legend.includes(word), `legend has "${word}"`);

    // The best response and the path to it.
    const top = best(tree);
    const path = rootPath(tree, top.id);
    const drawn = await drawnNodes(page);
    assert.deepEqual(drawn.filter((n) => n.classes.includes('best')).map((n) => n.id), [top.id]);
    assert.deepEqual(drawn.filter((n) => n.classes.includes('on-path')).map((n) => n.id).sort((a, b) => a - b), [...path].sort((a, b) => a - b));
    assert.equal(segments(await page.getAttribute('toa-tree path.edge.best', 'd')), path.length - 1);
    assert.equal(await page.$eval('toa-tree path.edge.best', (el) => getComputedStyle(el).strokeWidth), '2.4px');
    // With nothing picked, the detail pane shows the best response.
    assert.equal(await page.getAttribute('.detail', 'data-node'), String(top.id));
    assert.match((await page.textContent('.accept-best'))!, new RegExp(`Accept best \\(${fmt(top.reward).replace('.', '\\.')}\\)`));
    await noProblems(panel);
  });

  test('plots the prompt\'s reward per play, by agent, with the best so far', async () => {
    const events = fakeRunEvents({ prompts: 1, budget: 20, seed: 4 });
    const tree = finalTrees(events).get('p1')!;
    const panel = await openFinished(events, 'p1');
    const dots = await panel.page.$$eval('.prompt-chart circle.dot', (cs) => cs.map((c) => ({ cls: c.getAttribute('class')!, title: c.querySelector('title')!.textContent! })));
    const plays = responses(tree).sort((a, b) => a.play! - b.play!);
    assert.equal(dots.length, plays.length);
    plays.forEach((n, i) => {
      assert.ok(dots[i]!.cls.includes(`a${n.agent}`), `play ${n.play}'s dot is in its agent's colour`);
      assert.equal(dots[i]!.title, `play ${n.play} · ${tree.agents[n.agent!]} · ${fmt(n.reward)} · #${n.id}`);
    });
    // The step line changes height once per new best.
    const d = (await panel.page.getAttribute('.prompt-chart path.best-line', 'd'))!;
    assert.equal(d.split('H').length - 1, plays.length - 1);
    // A dot picks its response.
    const pick = plays[6]!;
    await panel.page.locator('.prompt-chart circle.dot').nth(6).dispatchEvent('click');
    await settled(panel.page);
    assert.equal(await panel.page.getAttribute('.detail', 'data-node'), String(pick.id));
    assert.ok((await panel.page.getAttribute('.prompt-chart circle.dot >> nth=6', 'class'))!.includes('selected'));
    await noProblems(panel);
  });

  test('the host can open a prompt; the arrows step through the queue; follow returns to the live one', async () => {
    const all = fakeRunEvents({ prompts: 4, budget: 10, seed: 2 });
    const live = until(all, (e) => e.type === 'prompt-done' && e.promptId === 'p3');
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(live));
    await panel.send({ type: 'select-prompt', promptId: 'p1' });
    await settled(page);
    const bar = async (): Promise<string> => (await page.innerText('.prompt-bar')).replace(/\s+/g, ' ');
    assert.match(await bar(), /1 \/ 4 done Prompt p1/i);
    assert.equal(await page.getByRole('button', { name: 'Previous prompt' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Next prompt' }).click();
    await settled(page);
    assert.match(await bar(), /2 \/ 4 done Prompt p2/i);
    assert.equal(await page.getAttribute('.follow', 'aria-pressed'), 'false');
    await page.click('.follow');
    await settled(page);
    assert.match(await bar(), /3 \/ 4 searching Prompt p3/i);
    await page.getByRole('button', { name: 'Next prompt' }).click();
    await settled(page);
    assert.match(await bar(), /4 \/ 4 waiting Prompt p4/i);
    assert.match(await page.innerText('.prompt-tab'), /Waiting for its turn in the queue/);
    assert.equal(await page.getAttribute('vscode-button.reject-prompt', 'disabled'), '', 'nothing to reject yet');
    await noProblems(panel);
  });

  test('renders what the host channel sends, batched, as it would in VS Code', async () => {
    const events = fakeRunEvents({ prompts: 2, budget: 30, seed: 12 });
    const trees = finalTrees(events);
    const panel = await suite.open();
    const sent: string[] = [];
    let delivered = Promise.resolve();
    const channel = new PanelChannel({ flushMs: 50 });
    channel.attach((m) => {
      sent.push(m.type);
      delivered = delivered.then(() => panel.send(m));
    });
    channel.receive({ type: 'ready' });
    for (let i = 0; i < events.length; i++) {
      channel.pushEvent(events[i]!);
      if (i % 40 === 0) await new Promise((ok) => setTimeout(ok, 10));
    }
    await new Promise((ok) => setTimeout(ok, 80));
    await delivered;
    channel.dispose();
    await settled(panel.page);
    assert.equal(sent[0], 'snapshot');
    assert.ok(sent.length < events.length / 10, `${events.length} events arrived in ${sent.length - 1} messages`);
    await openPromptTab(panel, 'p2');
    assert.deepEqual((await drawnNodes(panel.page)).map((n) => n.id).sort((a, b) => a - b), visibleIds(trees.get('p2')!));
    await noProblems(panel);
  });

  test('a live run through the host channel: prompt-done brings no tree, and every tree shows every node and reward, live, after a reload and when the host opens a past prompt', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 24, seed: 21 });
    const trees = finalTrees(events);
    const panel = await suite.open({ state: { tab: 'prompt', follow: true } });
    const sent: HostToWebview[] = [];
    let delivered = Promise.resolve();
    const channel = new PanelChannel({ flushMs: 20 });
    channel.attach((m) => {
      sent.push(structuredClone(m));
      delivered = delivered.then(() => panel.send(m));
    });
    channel.receive({ type: 'ready' });
    const flushed = async (): Promise<void> => {
      await new Promise((ok) => setTimeout(ok, 40));
      await delivered;
      await settled(panel.page);
    };
    let next = 0;
    const pushUntil = (end: number): void => {
      for (; next < end; next++) channel.pushEvent(events[next]!);
    };
    for (const [promptId, tree] of trees) {
      // Followed live: its whole search, then its prompt-done.
      const done = events.findIndex((e) => e.type === 'prompt-done' && e.promptId === promptId);
      pushUntil(done);
      await flushed();
      assert.match((await panel.page.textContent('.prompt-bar'))!, new RegExp(`${promptId.slice(1)} / 3\\s*searching`));
      await assertTreeDrawn(panel.page, tree);
      pushUntil(done + 1);
      await flushed();
      assert.match((await panel.page.textContent('.prompt-bar'))!, new RegExp(`${promptId.slice(1)} / 3\\s*done`));
      await assertTreeDrawn(panel.page, tree);
    }
    pushUntil(events.length);
    await flushed();
    const dones = sent.flatMap((m) => (m.type === 'events' ? m.events.filter((e) => e.type === 'prompt-done') : []));
    assert.equal(dones.length, 3);
    assert.ok(dones.every((e) => !('tree' in e)), 'each tree crossed once, as its nodes and plays');

    // The host opens a past prompt (Show tree), then the window reloads.
    channel.post({ type: 'select-prompt', promptId: 'p1' });
    await flushed();
    await assertTreeDrawn(panel.page, trees.get('p1')!);
    const reloaded = await suite.open({ state: await panel.savedState() });
    await showSnapshot(reloaded, restoredSnapshot(JSON.parse(JSON.stringify(persistableSnapshot(channel.snapshot, 20, 1000))) as PanelSnapshot));
    await assertTreeDrawn(reloaded.page, trees.get('p1')!);
    channel.dispose();
    await noProblems(panel);
    await noProblems(reloaded);
  });
});

describe('trees on request', () => {
  test('a reveal brings the tree on screen; another prompt opened says Loading, asks the host, then shows its tree with Accept best', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 8, seed: 21 });
    const trees = finalTrees(events);
    const channel = new PanelChannel();
    events.forEach((e) => channel.pushEvent(e));
    const panel = await suite.open({ state: { tab: 'prompt', follow: false, promptId: 'p2' } });
    channel.attach((m) => void panel.send(m));
    channel.receive({ type: 'ready', promptId: 'p2' });
    await settled(panel.page);
    await assertTreeDrawn(panel.page, trees.get('p2')!);

    await panel.page.click('.prompt-bar .previous-prompt');
    await settled(panel.page);
    assert.match((await panel.page.textContent('.prompt-tab'))!, /Loading its tree…/);
    assert.equal(await panel.page.locator('.accept-best').getAttribute('disabled'), '', 'nothing to accept until it is there');
    const asked = (await curationMessages(panel)).filter((m) => m.type === 'tree-request');
    assert.deepEqual(asked, [{ type: 'tree-request', runId: channel.snapshot.runId, promptId: 'p1' }]);
    channel.receive(asked[0]);
    await settled(panel.page);
    await assertTreeDrawn(panel.page, trees.get('p1')!);
    assert.equal(await panel.page.locator('.accept-best').getAttribute('disabled'), null);
    channel.dispose();
    await noProblems(panel);
  });
});

describe('node detail', () => {
  const events = fakeRunEvents({ prompts: 2, budget: 24, seed: 21 });
  const tree = finalTrees(events).get('p1')!;

  test('a clicked response shows its text, reward, agent, layer and a diff against the answer it refined', async () => {
    const { node, source } = refinedResponse(tree);
    const panel = await openFinished(events, 'p1');
    const page = panel.page;
    await clickNode(panel, node.id);
    assert.equal(await page.getAttribute('.detail', 'data-node'), String(node.id));
    assert.equal(await page.textContent('.detail-head strong'), tree.agents[node.agent!]);
    assert.equal(await page.textContent('.detail-head .muted'), `#${node.id} · refines #${source.id}`);
    const f = await facts(page);
    assert.equal(f.Reward, fmt(node.reward));
    assert.equal(f.Layer, String(node.layer));
    assert.equal(f.Play, String(node.play));
    assert.equal(f.Visits, String(node.visits));
    assert.equal(f.Tokens, String(node.call!.promptTokens + node.call!.completionTokens));
    assert.equal(await page.textContent('pre.response-text'), node.text);
    const classes = async (id: number): Promise<string> => (await page.getAttribute(`toa-tree g[data-id="${id}"]`, 'class'))!;
    assert.match(await classes(node.id), /\bselected\b/);
    assert.match(await classes(source.id), /\bsource\b/, 'the answer it refined is marked in the tree');

    // Word diff against the refined answer, as jsdiff computes it.
    await page.getByRole('button', { name: `Diff vs #${source.id}` }).click();
    await settled(page);
    const words = diffWordsWithSpace(source.text!, node.text!);
    const shown = async (): Promise<{ ins: string[]; del: string[]; all: string }> => ({
      ins: await page.$$eval('pre.response-text.diff ins', (els) => els.map((e) => e.textContent!)),
      del: await page.$$eval('pre.response-text.diff del', (els) => els.map((e) => e.textContent!)),
      all: (await page.textContent('pre.response-text.diff'))!,
    });
    let diff = await shown();
    assert.deepEqual(diff.ins, words.filter((c) => c.added).map((c) => c.value));
    assert.deepEqual(diff.del, words.filter((c) => c.removed).map((c) => c.value));
    assert.equal(diff.all, words.map((c) => c.value).join(''));
    assert.ok(diff.ins.length > 0, 'the refinement added words');
    const count = (kind: 'added' | 'removed'): number => words.filter((c) => c[kind]).reduce((n, c) => n + c.value.split(/\s+/).filter(Boolean).length, 0);
    assert.equal((await page.textContent('.diff-counts'))!.replace(/\s+/g, ' ').trim(), `+${count('added')} −${count('removed')}`);
    const insBg = await page.$eval('pre.response-text.diff ins', (el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(insBg, 'rgba(0, 0, 0, 0)', 'insertions are highlighted');

    await page.getByRole('button', { name: 'Lines' }).click();
    await settled(page);
    diff = await shown();
    assert.deepEqual(diff.ins, diffLines(source.text!, node.text!).filter((c) => c.added).map((c) => c.value));
    await page.getByRole('button', { name: 'Text', exact: true }).click();
    await settled(page);
    assert.equal(await page.textContent('pre.response-text'), node.text);
    await noProblems(panel);
  });

  test('in a narrow panel the node detail shows whole below the tree: the tab scrolls, not a box inside it', async () => {
    const panel = await suite.open({ width: 460, height: 860 });
    await showSnapshot(panel, snapshotOf(events));
    await openPromptTab(panel, 'p1');
    await clickNode(panel, best(tree).id);
    const page = panel.page;
    const sizes = await page.$eval('.detail-tabs > vscode-tab-panel:not([hidden])', (el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));
    assert.ok(sizes.scroll <= sizes.client + 1, `the detail is not squeezed into a scroller of its own: ${JSON.stringify(sizes)}`);
    const accept = page.locator('.detail vscode-button.accept-node');
    await accept.scrollIntoViewIfNeeded();
    assert.ok(await accept.isVisible());
    assert.equal(await page.textContent('pre.response-text'), best(tree).text);
    await noProblems(panel);
  });

  test("at half width and narrower the tree's header wraps instead of cutting its counts short: every piece whole, inside the card", async () => {
    const counts = `${responses(tree).length} responses · ${tree.nodes.length} nodes · ${tree.plays}/${tree.budget} plays`;
    for (const width of [480, 340]) {
      const panel = await suite.open({ width, height: 860 });
      await showSnapshot(panel, snapshotOf(events));
      await openPromptTab(panel, 'p1');
      const layout = await panel.page.$eval('.tree-toolbar', (bar) => {
        const box = bar.getBoundingClientRect();
        const cut = [bar, ...bar.querySelectorAll('*')].filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible');
        const outside = [...bar.querySelectorAll('.card-title, .count-piece, .tree-tools > *')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.left < box.left - 1 || r.right > box.right + 1;
        });
        return { text: bar.querySelector('.tree-counts')!.textContent, cut: cut.map((el) => el.className), outside: outside.map((el) => el.textContent), wide: bar.scrollWidth > bar.clientWidth + 1 };
      });
      assert.deepEqual(layout, { text: counts, cut: [], outside: [], wide: false }, `at ${width} px`);
      await noProblems(panel);
    }
  });

  test('in a narrow panel the tree card holds its tree, chart and legend: nothing spills onto the node detail', async () => {
    const panel = await suite.open({ width: 460, height: 860 });
    await showSnapshot(panel, snapshotOf(events));
    await openPromptTab(panel, 'p1');
    await clickNode(panel, best(tree).id);
    const boxes = await panel.page.$eval('.tree-card', (card) => {
      const bottom = (el: Element | null): number => el!.getBoundingClientRect().bottom;
      return { card: bottom(card), legend: bottom(card.querySelector('.chart-legend')), scroll: card.scrollHeight, client: card.clientHeight, tree: card.querySelector('toa-tree')!.getBoundingClientRect().height };
    });
    assert.ok(boxes.scroll <= boxes.client + 1 && boxes.legend <= boxes.card + 1, `the chart legend stays inside the tree card: ${JSON.stringify(boxes)}`);
    assert.ok(boxes.tree >= 160, `the tree keeps its minimum height: ${JSON.stringify(boxes)}`);
    await noProblems(panel);
  });

  test('a from-scratch response has nothing to diff against', async () => {
    const scratch = responses(tree).find((n) => !n.sources?.length)!;
    const panel = await openFinished(events, 'p1');
    await clickNode(panel, scratch.id);
    assert.equal(await panel.page.textContent('.detail-head .muted'), `#${scratch.id} · from scratch`);
    assert.equal(await panel.page.getByRole('button', { name: 'Diff', exact: true }).isDisabled(), true);
    assert.equal(await panel.page.textContent('pre.response-text'), scratch.text);
    await noProblems(panel);
  });

  test('agent and root nodes describe themselves', async () => {
    const agent = tree.nodes.find((n) => n.kind === 'agent' && n.mode === 'refine' && n.children.length > 0)!;
    const panel = await openFinished(events, 'p1');
    await clickNode(panel, agent.id);
    const text = (await panel.page.innerText('.detail')).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`${tree.agents[agent.agent!]} agent node #${agent.id}`));
    assert.match(text, /Asks .* to refine its parent answer/);
    assert.equal((await facts(panel.page)).Visits, String(agent.visits));
    await clickNode(panel, 0);
    const root = (await panel.page.innerText('.detail')).replace(/\s+/g, ' ');
    assert.match(root, /Prompt Prompt p1: explain how a tree search picks the next model/);
    assert.equal((await facts(panel.page)).Plays, '24 / 24');
    // Arrow keys walk the tree: left is the parent.
    await clickNode(panel, agent.id);
    await panel.page.keyboard.press('ArrowLeft');
    await settled(panel.page);
    assert.match((await panel.page.getAttribute(`toa-tree g[data-id="${agent.parent}"]`, 'class'))!, /\bselected\b/);
    // Screen readers follow the selection: the focused tree names the selected node.
    assert.equal(await panel.page.getAttribute('toa-tree .tree-scroller', 'aria-activedescendant'), `tree-node-${agent.parent}`);
    await noProblems(panel);
  });

  test('with no node selected (no response yet), an arrow key starts at the root', async () => {
    const early = until(events, (e) => e.type === 'node-added' && e.promptId === 'p1' && e.node.kind === 'response');
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(early));
    await openPromptTab(panel, 'p1');
    assert.equal(await page.locator('toa-tree g.selected').count(), 0);
    await page.focus('toa-tree .tree-scroller');
    await page.keyboard.press('ArrowDown');
    await settled(page);
    assert.match((await page.getAttribute('toa-tree g[data-id="0"]', 'class'))!, /\bselected\b/);
    assert.equal(await page.getAttribute('toa-tree .tree-scroller', 'aria-activedescendant'), 'tree-node-0');
    await page.keyboard.press('ArrowRight');
    await settled(page);
    assert.match((await page.getAttribute(`toa-tree g[data-id="${tree.nodes[0]!.children[0]}"]`, 'class'))!, /\bselected\b/);
    await noProblems(panel);
  });

  test('the candidates list ranks responses by reward and opens one', async () => {
    const panel = await openFinished(events, 'p1');
    const page = panel.page;
    await page.click('.detail-tabs vscode-tab-header >> text=Candidates');
    await page.waitForSelector('.candidate-list .candidate-row');
    const ranked = responses(tree).sort((a, b) => b.reward! - a.reward! || a.id - b.id);
    const rows = await page.$$eval('.candidate-list .candidate-row', (rs) => rs.map((r) => Number((r as HTMLElement).dataset.node)));
    assert.deepEqual(rows, ranked.map((n) => n.id).slice(0, rows.length));
    assert.ok(rows.length >= 10, `${rows.length} rows shown`);
    // Every column's header is read whole: none is cut to "Re…".
    const headers = await page.$$eval('.vhead.candidate-row [role="columnheader"]', (cells) => cells.map((c) => ({ text: c.textContent, cut: c.scrollWidth > c.clientWidth })));
    assert.equal(headers.length, 4);
    assert.deepEqual(headers.filter((h) => h.cut).map((h) => h.text), [], 'column headers cut off');
    await page.click(`.candidate-row[data-node="${ranked[2]!.id}"]`);
    await settled(page);
    assert.equal(await page.getAttribute('.detail', 'data-node'), String(ranked[2]!.id));
    await noProblems(panel);
  });
});

describe('curation', () => {
  const events = fakeRunEvents({ prompts: 3, budget: 20, seed: 8 });
  const tree = finalTrees(events).get('p2')!;
  const top = best(tree);
  const other = responses(tree).find((n) => n.id !== top.id && n.sources?.length)!;

  test('accepting the best answer posts it, shows it pending, then shows the host\'s verdict', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await page.click('vscode-button.accept-best');
    await settled(page);
    assert.deepEqual(await curationMessages(panel), [{ type: 'accept', runId: 'run-1', promptId: 'p2', nodeId: top.id }]);
    assert.match((await page.textContent('.prompt-bar .status'))!, /Accepting…/);
    assert.equal(await page.getAttribute('vscode-button.accept-best', 'disabled'), '');
    assert.equal(await page.getAttribute('vscode-button.reject-prompt', 'disabled'), '');
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'accepted', reason: 'out/sft.jsonl' });
    await settled(page);
    assert.match((await page.textContent('.prompt-bar .status'))!, /accepted/);
    assert.equal(await page.getAttribute('vscode-button.accept-best', 'disabled'), '', 'a decided prompt cannot be accepted again');
    // The host's verdict is a line of its own, readable whole however narrow the bar.
    const verdict = page.locator('.prompt-tab .prompt-reason');
    assert.equal(await verdict.textContent(), 'out/sft.jsonl');
    assert.ok(((await verdict.boundingBox())?.width ?? 0) > 300, 'the verdict line spans the tab');
    assert.equal(await verdict.evaluate((el) => el.classList.contains('error-text')), false, 'a saved decision is not an error');
    await noProblems(panel);
  });

  test('a decision the host refused reads as an error, whatever its wording', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await page.click('vscode-button.accept-best');
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'done', reason: 'the disk is full', level: 'error' });
    await settled(page);
    const verdict = page.locator('.prompt-tab .prompt-reason');
    assert.equal(await verdict.textContent(), 'the disk is full');
    assert.equal(await verdict.evaluate((el) => el.classList.contains('error-text')), true);
    assert.equal(await page.getAttribute('vscode-button.accept-best', 'disabled'), null, 'the buttons come back for another try');
    // A later verdict without a level is plain again.
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'accepted', reason: 'out/sft.jsonl' });
    await settled(page);
    assert.equal(await verdict.evaluate((el) => el.classList.contains('error-text')), false);
  });

  test('a prompt still being searched takes no decision until its search ends', async () => {
    const done = events.find((e) => e.type === 'prompt-done' && e.promptId === 'p2')!;
    const live = until(events, (e) => e === done);
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(live));
    await openPromptTab(panel, 'p2');
    const first = snapshotOf(live).trees.p2!.nodes.find((n) => n.kind === 'response')!;
    await clickNode(panel, first.id);
    const disabled = async (): Promise<Array<string | null>> =>
      Promise.all(['accept-best', 'reject-prompt', 'accept-node', 'edit-node'].map((c) => page.getAttribute(`vscode-button.${c}`, 'disabled')));
    assert.match((await page.textContent('.prompt-bar .status'))!, /searching/);
    assert.deepEqual(await disabled(), ['', '', '', '']);
    assert.equal(await page.getAttribute('.detail vscode-button.accept-node', 'title'), 'Decide once the search is done');
    await panel.send({ type: 'events', events: [done] });
    await settled(page);
    assert.deepEqual(await disabled(), [null, null, null, null]);
    await noProblems(panel);
  });

  test('a prompt a cancel cut short before any answer offers neither Accept nor Reject, and says so; one cut short after answers keeps both', async () => {
    const end = events.findLast((e) => e.type === 'run-done')!;
    const cancelled = (before: RunEvent[]): RunEvent[] => [...before, { type: 'prompt-cancelled', promptId: 'p2' }, { ...end, cancelled: true } as RunEvent];
    const decisions = async (panel: PanelPage): Promise<Array<string | null>> =>
      Promise.all(['accept-best', 'reject-prompt'].map((c) => panel.page.getAttribute(`.prompt-bar vscode-button.${c}`, 'disabled')));
    // Its root is drawn, no response has come back yet.
    const unanswered = await suite.open();
    await showSnapshot(unanswered, snapshotOf(cancelled(until(events, (e) => e.type === 'node-added' && e.promptId === 'p2' && e.node.kind === 'response'))));
    await openPromptTab(unanswered, 'p2');
    assert.match((await unanswered.page.textContent('.prompt-bar .status'))!, /cancelled/i);
    assert.deepEqual(await decisions(unanswered), ['', ''], 'neither Accept nor Reject');
    assert.equal(await unanswered.page.getAttribute('.prompt-bar vscode-button.reject-prompt', 'title'), 'No answer to accept or reject');
    assert.match((await unanswered.page.textContent('.prompt-tab .prompt-reason'))!, /^cut short before any answer .*a resumed run searches it again$/);
    await unanswered.page.click('.prompt-bar vscode-button.reject-prompt', { force: true });
    await settled(unanswered.page);
    assert.deepEqual(await curationMessages(unanswered), [], 'a click on the disabled Reject posts nothing');
    await noProblems(unanswered);
    // Answers came back before the cancel: the best of them can still be accepted, or the prompt rejected.
    const answered = await suite.open();
    await showSnapshot(answered, snapshotOf(cancelled(until(events, (e) => e.type === 'prompt-done' && e.promptId === 'p2'))));
    await openPromptTab(answered, 'p2');
    assert.deepEqual(await decisions(answered), [null, null]);
    assert.match((await answered.page.textContent('.prompt-tab .prompt-reason'))!, /^cut short before its search ended /);
    await noProblems(answered);
  });

  test('accepting another candidate posts that node', async () => {
    const panel = await openFinished(events, 'p2');
    await clickNode(panel, other.id);
    await panel.page.click('.detail vscode-button.accept-node');
    await settled(panel.page);
    assert.deepEqual(await curationMessages(panel), [{ type: 'accept', runId: 'run-1', promptId: 'p2', nodeId: other.id }]);
    await noProblems(panel);
  });

  test('an edited answer is posted with its new text', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await clickNode(panel, other.id);
    await page.click('.detail vscode-button.edit-node');
    await page.waitForSelector('vscode-textarea.edit-text');
    const field = page.locator('vscode-textarea.edit-text textarea');
    assert.equal(await field.inputValue(), other.text);
    const edited = `${other.text}\n\nEdited: the final step is checked twice.`;
    await field.fill(edited);
    await page.keyboard.type(' Done.');
    await settled(page);
    assert.equal(await field.inputValue(), `${edited} Done.`, 'typing keeps the caret and the text');
    await page.click('vscode-button.accept-edited');
    await settled(page);
    assert.deepEqual(await curationMessages(panel), [{ type: 'accept', runId: 'run-1', promptId: 'p2', nodeId: other.id, text: `${edited} Done.` }]);
    assert.equal(await page.locator('vscode-textarea.edit-text').count(), 0, 'the editor closes');
    await noProblems(panel);
  });

  test('from the keyboard: Edit… puts the focus in the editor, so what is typed goes into the answer', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await clickNode(panel, other.id);
    await page.focus('.detail vscode-button.edit-node');
    await page.keyboard.press('Enter');
    await page.waitForSelector('vscode-textarea.edit-text');
    await settled(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Typed.');
    await settled(page);
    assert.equal(await page.locator('vscode-textarea.edit-text textarea').inputValue(), `${other.text} Typed.`);
    await noProblems(panel);
  });

  test('from the keyboard: focus is never left on the page after a decision or a discarded edit', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    // Discard: back to the Edit… button that opened the editor.
    await clickNode(panel, other.id);
    await page.focus('.detail vscode-button.edit-node');
    await page.keyboard.press('Enter');
    await page.waitForSelector('vscode-button.discard-edit');
    await settled(page);
    await page.focus('vscode-button.discard-edit');
    await page.keyboard.press('Enter');
    await settled(page);
    assert.match(await focused(page), /^vscode-button\.edit-node/);
    // Reject disables the prompt's buttons: the keyboard goes on to the next prompt.
    await page.focus('vscode-button.reject-prompt');
    await page.keyboard.press('Enter');
    await settled(page);
    assert.match(await focused(page), /^button\..*next-prompt/);
    await page.keyboard.press('Enter');
    await settled(page);
    assert.match((await page.textContent('.prompt-bar .prompt-index'))!, /^3 \//, 'Enter on it opens the next prompt');
    await noProblems(panel);
  });

  test('discarding an edit posts nothing', async () => {
    const panel = await openFinished(events, 'p2');
    await clickNode(panel, other.id);
    await panel.page.click('.detail vscode-button.edit-node');
    await panel.page.locator('vscode-textarea.edit-text textarea').fill('scrap this');
    await panel.page.click('vscode-button.discard-edit');
    await settled(panel.page);
    assert.equal(await panel.page.textContent('pre.response-text'), other.text);
    assert.deepEqual(await curationMessages(panel), []);
    await noProblems(panel);
  });

  test('while an edit of the answer shown is open, Accept best is closed, saying why: it would write the unedited text and leave the edit no way in', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    const state = (selector: string): Promise<[string | null, string | null]> =>
      Promise.all([page.getAttribute(selector, 'disabled'), page.getAttribute(selector, 'title')]);
    await clickNode(panel, top.id);
    await page.click('.detail vscode-button.edit-node');
    await page.waitForSelector('vscode-textarea.edit-text');
    await settled(page);
    const why = 'Your edit of this answer is open: Accept edited, or Discard it first';
    assert.deepEqual(await state('vscode-button.accept-best'), ['', why]);
    assert.deepEqual(await state('.detail vscode-button.accept-node'), ['', why]);
    await page.click('vscode-button.accept-best', { force: true });
    await settled(page);
    assert.deepEqual(await curationMessages(panel), [], 'a click on the closed Accept best posts nothing');
    // Another answer shown (the edit waits), or the edit discarded: Accept best opens again.
    await clickNode(panel, other.id);
    assert.deepEqual(await state('vscode-button.accept-best'), [null, null]);
    await clickNode(panel, top.id);
    await page.click('vscode-button.discard-edit');
    await settled(page);
    assert.deepEqual(await state('vscode-button.accept-best'), [null, null]);
    await noProblems(panel);
  });

  test('rejecting a prompt posts a reject', async () => {
    const panel = await openFinished(events, 'p2');
    await panel.page.click('vscode-button.reject-prompt');
    await settled(panel.page);
    assert.deepEqual(await curationMessages(panel), [{ type: 'reject', runId: 'run-1', promptId: 'p2' }]);
    assert.match((await panel.page.textContent('.prompt-bar .status'))!, /Rejecting…/);
    await noProblems(panel);
  });

  test("after Reject the answers stay open to Accept instead (it changes the decision) and Reject is closed; after Accept every Accept, Edit… and Reject is closed, saying why; the pair marks stay open", async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    const state = (selector: string): Promise<[string | null, string | null]> =>
      Promise.all([page.getAttribute(selector, 'disabled'), page.getAttribute(selector, 'title')]);
    await clickNode(panel, other.id);
    // An edit left open when the prompt is rejected from the bar can still be accepted instead.
    await page.click('.detail vscode-button.edit-node');
    await page.waitForSelector('vscode-button.accept-edited');
    await page.click('vscode-button.reject-prompt');
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'rejected', reason: 'rejected: nothing written' });
    await settled(page);
    const instead = 'Rejected: accepting writes its SFT row and drops the rejection';
    assert.deepEqual(await state('vscode-button.accept-edited'), [null, instead]);
    await page.click('vscode-button.discard-edit');
    await settled(page);
    for (const button of ['.detail vscode-button.accept-node', 'vscode-button.accept-best']) {
      assert.deepEqual(await state(button), [null, instead], `${button} after Reject`);
    }
    assert.deepEqual(await state('.detail vscode-button.edit-node'), [null, instead]);
    assert.deepEqual(await state('vscode-button.reject-prompt'), ['', 'Already rejected: nothing is written for this search. Accept writes its SFT row instead']);
    await page.click('vscode-button.reject-prompt', { force: true });
    await page.click('.detail vscode-button.accept-node');
    await settled(page);
    assert.deepEqual(await curationMessages(panel), [{ type: 'reject', runId: 'run-1', promptId: 'p2' }, { type: 'accept', runId: 'run-1', promptId: 'p2', nodeId: other.id }], 'a click on the closed Reject posts nothing; Accept posts');
    // Accepted (here by the host's word): every Accept and Reject closed, with its reason.
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'accepted', reason: 'out/sft.jsonl' });
    await settled(page);
    const accepted = 'Already accepted: the prompt has its SFT row. Edit the SFT file to change it';
    for (const button of ['.detail vscode-button.accept-node', '.detail vscode-button.edit-node', 'vscode-button.accept-best', 'vscode-button.reject-prompt']) {
      assert.deepEqual(await state(button), ['', accepted], `${button} after Accept`);
    }
    await page.click('.detail vscode-button.mark-chosen');
    await settled(page);
    assert.match((await page.textContent('.preference-bar'))!, new RegExp(`Chosen #${other.id}`), 'a pair can still be picked');
    assert.equal(await page.getAttribute('.detail vscode-button.mark-rejected', 'disabled'), null);
    await noProblems(panel);
  });

  test('a chosen and a rejected answer make a preference pair', async () => {
    const low = responses(tree).reduce((a, b) => (b.reward! < a.reward! ? b : a));
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    assert.equal(await page.getAttribute('vscode-button.save-pair', 'disabled'), '', 'no pair yet');
    await clickNode(panel, top.id);
    await page.click('.detail vscode-button.mark-chosen');
    await clickNode(panel, low.id);
    await page.click('.detail vscode-button.mark-rejected');
    await settled(page);
    const bar = (await page.textContent('.preference-bar'))!.replace(/\s+/g, ' ');
    assert.match(bar, new RegExp(`Chosen #${top.id} \\(${fmt(top.reward).replace('.', '\\.')}\\)`));
    assert.match(bar, new RegExp(`Rejected #${low.id}`));
    assert.equal(await page.getAttribute('vscode-button.save-pair', 'disabled'), null);
    await page.click('vscode-button.save-pair');
    await settled(page);
    assert.deepEqual(await curationMessages(panel), [{ type: 'preference', runId: 'run-1', promptId: 'p2', chosen: top.id, rejected: low.id }]);
    assert.match((await page.textContent('.preference-bar'))!, /Chosen: none/);
    await noProblems(panel);
  });

  test('a half-built pair is dropped when the host opens another prompt or a new run starts', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await clickNode(panel, top.id);
    await page.click('.detail vscode-button.mark-chosen');
    await settled(page);
    assert.match((await page.textContent('.preference-bar'))!, new RegExp(`Chosen #${top.id}`));
    await panel.send({ type: 'select-prompt', promptId: 'p1' });
    await settled(page);
    assert.match((await page.textContent('.preference-bar'))!, /Chosen: none/, 'node ids of p2 mean nothing in p1');
    const p1Best = best(finalTrees(events).get('p1')!);
    await clickNode(panel, p1Best.id);
    await page.click('.detail vscode-button.mark-chosen');
    await panel.send({ type: 'events', events: [{ type: 'run-start', runId: 'again', strategy: 'toa', budget: 8, agents: ['a'] }] });
    await settled(page);
    assert.deepEqual(await curationMessages(panel), []);
    await panel.send({ type: 'snapshot', snapshot: snapshotOf(events) });
    await panel.send({ type: 'select-prompt', promptId: 'p1' });
    await settled(page);
    assert.match((await page.textContent('.preference-bar'))!, /Chosen: none/, 'a new run\'s tree reuses the ids');
    await noProblems(panel);
  });

  test('one answer cannot be both sides of a pair', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await clickNode(panel, other.id);
    await page.click('.detail vscode-button.mark-chosen');
    await page.click('.detail vscode-button.mark-rejected');
    await settled(page);
    const bar = (await page.textContent('.preference-bar'))!.replace(/\s+/g, ' ');
    assert.match(bar, /Chosen: none/);
    assert.match(bar, new RegExp(`Rejected #${other.id}`));
    assert.equal(await page.getAttribute('vscode-button.save-pair', 'disabled'), '');
    await noProblems(panel);
  });

  test('the auto-accept threshold is set, changed and turned off', async () => {
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(events));
    const input = page.locator('#auto-accept input');
    await input.fill('1.5');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await settled(page);
    assert.match((await page.textContent('.curation-card'))!, /at least 1\.500 are accepted/);
    await input.fill('0.75');
    await input.press('Enter');
    await settled(page);
    await page.getByRole('button', { name: 'Off', exact: true }).click();
    await settled(page);
    const posted = await curationMessages(panel);
    // Enter also fires the field's change event; the value is still posted once.
    assert.deepEqual(posted, [
      { type: 'set-auto-accept', threshold: 1.5 },
      { type: 'set-auto-accept', threshold: 0.75 },
      { type: 'set-auto-accept', threshold: null },
    ]);
    assert.match((await page.textContent('.curation-card'))!, /Every prompt waits for your decision/);
    assert.equal(await input.inputValue(), '');
    // Empty, or the value already set: nothing is sent.
    await input.fill('');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await input.fill('2');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await input.press('Tab');
    await settled(page);
    assert.deepEqual((await curationMessages(panel)).slice(posted.length), [{ type: 'set-auto-accept', threshold: 2 }]);
    // Emptied, Set turns it off; text that is no number is refused with a word, not dropped.
    await input.fill('');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await input.pressSequentially('1e');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await settled(page);
    assert.deepEqual((await curationMessages(panel)).slice(posted.length + 1), [{ type: 'set-auto-accept', threshold: null }]);
    assert.match((await page.textContent('.notice.error'))!, /must be a number/);
    await noProblems(panel);
  });

  test('the threshold the host holds is shown', async () => {
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(events, { autoAcceptAbove: 1.25 }));
    assert.equal(await panel.page.locator('#auto-accept input').inputValue(), '1.25');
    assert.match((await panel.page.textContent('.curation-card'))!, /at least 1\.250 are accepted/);
    await noProblems(panel);
  });
});

describe('compare tab', () => {
  test('the empty tabs name commands by their palette titles, and say where the endpoints come from', async () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { commands: Array<{ category: string; title: string }> } };
    const titles = manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    const panel = await suite.open();
    const named: string[] = [];
    for (const tab of ['run', 'compare']) {
      await panel.page.click(`.tab-${tab}`);
      await settled(panel.page);
      named.push(...(await panel.page.$$eval('vscode-tab-panel:not([hidden]) .empty-state strong', (els) => els.map((e) => e.textContent ?? ''))));
    }
    assert.ok(named.length >= 3, `commands named: ${named.join(', ')}`);
    // A first run without a configuration file answers from the simulator: the panel says so up front.
    await panel.page.click('.tab-run');
    await settled(panel.page);
    assert.match((await panel.page.textContent('vscode-tab-panel:not([hidden]) .empty-state'))!.replace(/\s+/g, ' '), /toa\.config\.json in the workspace folder; without one, built-in simulated endpoints answer/);
    for (const name of named) assert.ok(titles.includes(name), `"${name}" is a command title`);
    await noProblems(panel);
  });

  test('strategies best first; one that finished no prompt goes last, without a bar or the star', async () => {
    const panel = await suite.open();
    const page = panel.page;
    await page.click('.tab-compare');
    const row = (strategy: CompareRow['strategy'], meanBestReward: number | null, prompts: number, failed: number): CompareRow =>
      ({ strategy, meanBestReward, prompts, failed, plays: prompts * 20, tokens: 9000, costUsd: 0.02, elapsedMs: 4000 });
    await panel.send({ type: 'compare', rows: [row('best-of-n', 0.8, 3, 0), row('moa', null, 0, 3), row('toa', 1.2, 3, 0)] });
    await settled(page);
    const rows = await page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => ({
      text: (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
      winner: tr.classList.contains('winner'),
      bar: (tr.querySelector('.share-bar') as HTMLElement).style.width,
    })));
    assert.deepEqual(rows.map((r) => r.winner), [true, false, false]);
    assert.match(rows[0]!.text, /^TOA \(tree search\) 1\.200 3 /);
    assert.match(rows[1]!.text, /^Best-of-N 0\.800 3 /);
    assert.match(rows[2]!.text, /^Mixture-of-Agents – 0 \(3 failed\) /);
    assert.deepEqual(rows.map((r) => r.bar), ['100%', '67%', '0%'], 'lengths from zero: 0.8 is two thirds of 1.2');
    await noProblems(panel);
  });
  test('strategies with the same mean are listed in the strategies\' order, as the report and toa compare list them', async () => {
    const panel = await suite.open();
    const page = panel.page;
    await page.click('.tab-compare');
    const row = (strategy: CompareRow['strategy'], meanBestReward: number): CompareRow =>
      ({ strategy, meanBestReward, prompts: 2, failed: 0, plays: 8, tokens: 900, costUsd: 0, elapsedMs: 400 });
    await panel.send({ type: 'compare', rows: [row('moa', 0.5), row('prs', 0.5), row('toa', 0.5), row('best-of-n', 0.7)] });
    await settled(page);
    const names = await page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim().split(' 0.')[0]));
    assert.deepEqual(names, ['Best-of-N', 'TOA (tree search)', 'PRS', 'Mixture-of-Agents']);
    // Strategies tied for the best mean are all starred: a tie is no one strategy's lead.
    await panel.send({ type: 'compare', rows: [row('moa', 0.7), row('prs', 0.5), row('toa', 0.7)] });
    await settled(page);
    const starred = await page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => tr.querySelector('.winner-icon') !== null));
    assert.deepEqual(starred, [true, true, false]);
    await noProblems(panel);
  });
  test('after a window reload the rows come back from the saved snapshot, and the tab says the runs are not available', async () => {
    const row = (strategy: CompareRow['strategy'], meanBestReward: number | null): CompareRow =>
      ({ strategy, meanBestReward, prompts: 1, failed: meanBestReward === null ? 1 : 0, plays: 16, tokens: 900, costUsd: 0, elapsedMs: 400 });
    // The host's side: a comparison ends, the snapshot is saved (workspace state keeps JSON), the window reloads.
    const channel = new PanelChannel();
    channel.beginCompare();
    for (const strategy of ['toa', 'moa'] as const) {
      for (const e of fakeRunEvents({ prompts: 1, budget: 4, runId: `run-${strategy}` })) channel.pushEvent(e.type === 'run-start' ? { ...e, strategy } : e);
    }
    channel.endCompare([row('toa', 1.2), row('moa', null)]);
    const reloaded = restoredSnapshot(JSON.parse(JSON.stringify(persistableSnapshot(channel.snapshot, 20, 1000))) as PanelSnapshot);
    channel.dispose();
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, reloaded);
    await page.click('.tab-compare');
    await settled(page);
    const cells = await page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    assert.match(cells[0]!, /^TOA \(tree search\) 1\.200 1 /);
    assert.match(cells[1]!, /^Mixture-of-Agents – 1 \(1 failed\) /, 'no mean (null, as saved) reads as none');
    assert.equal(await page.locator('.compare-table button.open-strategy').count(), 0, 'no run to open');
    assert.match((await page.textContent('.compare-not-held'))!, /runs are not available any more \(a window reload or a new run drops them\)/);
    await noProblems(panel);
  });

  test('at half width the table stays in its card: every column in view, or the card scrolls it sideways and says so', async () => {
    const rows: CompareRow[] = (['toa', 'best-of-n', 'prs', 'ensemble', 'sequential', 'moa'] as const).map((strategy, i) =>
      ({ strategy, meanBestReward: 0.9 - i / 10, prompts: 12, failed: 0, plays: 192, tokens: 123_456, costUsd: 1.23, elapsedMs: 754_000 }));
    const headers = ['Strategy', 'Mean best reward', 'Prompts', 'Plays', 'Tokens', 'Cost', 'Time'];
    for (const width of [640, 400]) {
      const panel = await suite.open({ width, height: 700 });
      await panel.send({ type: 'compare', rows });
      await panel.page.click('.tab-compare');
      await settled(panel.page);
      // Columns past the card's right edge: drawn over its border, or (in a box that scrolls) out of view.
      const layout = await panel.page.$eval('.compare-card', (card) => {
        const right = card.getBoundingClientRect().right;
        return {
          hidden: [...card.querySelectorAll('thead th')].filter((th) => th.getBoundingClientRect().right > right + 1).map((th) => th.textContent!.trim()),
          hint: (card.querySelector('.scroll-hint')?.getBoundingClientRect().width ?? 0) > 0,
        };
      });
      assert.equal(layout.hint, layout.hidden.length > 0, `at ${width} px the title says more columns exactly when some are out of view: ${JSON.stringify(layout)}`);
      assert.deepEqual(await panel.page.getByRole('region', { name: 'Strategy comparison' }).getByRole('columnheader').allTextContents(), headers);
      if (width === 640) assert.deepEqual(layout.hidden, [], 'at half width every column fits');
      else assert.deepEqual(await panel.page.getAttribute('.compare-card [role="region"]', 'tabindex'), '0', 'the box that scrolls takes the keyboard');
      await noProblems(panel);
    }
  });

  test('while a comparison runs the tab says so: neither the command to start one nor the rows of the one before', async () => {
    const panel = await suite.open();
    const page = panel.page;
    await page.click('.tab-compare');
    const row = (strategy: CompareRow['strategy'], meanBestReward: number): CompareRow =>
      ({ strategy, meanBestReward, prompts: 1, failed: 0, plays: 16, tokens: 900, costUsd: 0, elapsedMs: 400 });
    await panel.send({ type: 'compare', rows: [row('toa', 0.9), row('prs', 0.5)] });
    await panel.send({ type: 'compare-start' });
    await settled(page);
    const shown = (await page.textContent('vscode-tab-panel:not([hidden])'))!.replace(/\s+/g, ' ');
    assert.match(shown, /Comparing strategies…/);
    assert.doesNotMatch(shown, /No comparison yet|Compare Strategies on Selection/, 'the command being run is not offered');
    assert.equal(await page.locator('.compare-table').count(), 0, "the previous comparison's rows are not shown as this one's");
    await panel.send({ type: 'compare', rows: [row('best-of-n', 0.7)] });
    await settled(page);
    assert.equal(await page.locator('.compare-running').count(), 0);
    assert.match((await page.textContent('.compare-table tbody'))!, /Best-of-N/);
    await noProblems(panel);
  });
});

describe('compare tab: the compared runs', () => {
  const strategyRun = (strategy: CompareRow['strategy'], seed: number): RunEvent[] =>
    fakeRunEvents({ prompts: 2, budget: 8, seed, runId: `run-${strategy}` }).map((e) => (e.type === 'run-start' ? { ...e, strategy } : e));
  const row = (strategy: CompareRow['strategy'], meanBestReward: number): CompareRow =>
    ({ strategy, meanBestReward, prompts: 2, failed: 0, plays: 16, tokens: 900, costUsd: 0, elapsedMs: 400 });

  test("a compared strategy's row opens its run in the Run and Prompt tabs", async () => {
    const panel = await suite.open();
    const page = panel.page;
    let delivered = Promise.resolve();
    // The host's side as the extension runs it: the channel keeps each strategy's run.
    const channel = new PanelChannel({ flushMs: 50 });
    channel.attach((m) => {
      delivered = delivered.then(() => panel.send(m));
    });
    channel.receive({ type: 'ready' });
    const toa = strategyRun('toa', 31);
    channel.beginCompare();
    for (const e of [...toa, ...strategyRun('moa', 32)]) channel.pushEvent(e);
    channel.endCompare([row('toa', 1.2), row('moa', 0.9)]);
    await new Promise((ok) => setTimeout(ok, 80));
    await delivered;
    // A node of MoA's tree is selected: its id names another node in TOA's tree.
    const moaTree = finalTrees(strategyRun('moa', 32)).get('p1')!;
    await openPromptTab(panel, 'p1');
    await clickNode(panel, best(moaTree).id);
    channel.post({ type: 'notice', level: 'error', message: 'not saved: about MoA' });
    await delivered;
    await page.click('.tab-compare');
    await settled(page);
    assert.equal(await page.locator('.notice.error').count(), 1);
    const cells = await page.$$eval('.compare-table tbody tr td:first-child', (tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
    assert.deepEqual(cells, ['TOA (tree search)', 'Mixture-of-Agents shown'], 'the last run is the one shown');
    await page.getByRole('button', { name: 'TOA (tree search)' }).click();
    assert.deepEqual((await curationMessages(panel)).at(-1), { type: 'show-strategy', strategy: 'toa' });
    await settled(page);
    assert.equal((await panel.savedState() as { tab?: string }).tab, 'compare', 'the Run tab waits for the host to send the run');
    assert.match((await page.textContent('.compare-table'))!, /opening…/);
    // A notice about something else comes first: it is no answer to the click.
    channel.post({ type: 'notice', level: 'error', message: 'not saved: the disk is full' });
    await delivered;
    await settled(page);
    assert.match((await page.textContent('.compare-table'))!, /opening…/, 'still opening after an unrelated notice');
    // The panel controller answers show-strategy with the channel's snapshot of that run.
    assert.equal(channel.showStrategy('toa'), true);
    await delivered;
    await settled(page);
    assert.equal((await panel.savedState() as { tab?: string }).tab, 'run', 'the Run tab opens');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('tab-run')), true, 'focus goes to the Run tab, not to the page');
    assert.equal((await page.textContent('.run-header .strategy'))?.trim(), 'toa');
    assert.equal((await panel.savedState() as { nodeId?: number | null }).nodeId, null, 'no node of the other run stays selected');
    assert.equal(await page.locator('.notice.error').count(), 0, "the other run's notice is gone");
    assert.match((await page.textContent('.run-header .compared'))!, /one of 2 compared strategies/);
    // The run came with the tree of the prompt shown last; p1's it asks for, as the controller routes it.
    await page.click('.prompt-row[data-prompt="p1"]');
    await settled(page);
    const asked = (await curationMessages(panel)).filter((m) => m.type === 'tree-request').at(-1);
    assert.deepEqual(asked, { type: 'tree-request', runId: channel.snapshot.runId, promptId: 'p1' });
    channel.receive(asked);
    await delivered;
    await page.waitForSelector('toa-tree g[data-id]');
    await settled(page);
    assert.deepEqual((await drawnNodes(page)).map((n) => n.id).sort((a, b) => a - b), visibleIds(finalTrees(toa).get('p1')!), "TOA's own tree");
    channel.dispose();
    await noProblems(panel);
  });

  /** A panel on the Compare tab of a TOA / MoA comparison, MoA's run shown. */
  async function onCompareTab(): Promise<PanelPage> {
    const panel = await suite.open();
    await stream(panel, strategyRun('moa', 32), 40);
    await panel.send({ type: 'compare', rows: [row('toa', 1.2), row('moa', 0.9)], views: ['toa', 'moa'] });
    await panel.page.click('.tab-compare');
    await settled(panel.page);
    return panel;
  }

  test('a strategy the host no longer holds leaves the user on the Compare tab with its notice', async () => {
    const panel = await onCompareTab();
    const page = panel.page;
    await page.getByRole('button', { name: 'TOA (tree search)' }).click();
    await panel.send({ type: 'notice', level: 'info', message: "The comparison's TOA (tree search) run is not held any more" });
    await settled(page);
    assert.equal(await page.locator('.opening-tag').count(), 1, 'the notice alone is not the answer');
    await panel.send({ type: 'show-strategy-result', strategy: 'toa', shown: false });
    await settled(page);
    assert.equal((await panel.savedState() as { tab?: string }).tab, 'compare');
    assert.equal(await page.locator('.opening-tag').count(), 0, 'no longer opening');
    assert.match((await page.textContent('.notice.info'))!, /not held any more/);
    assert.equal((await page.textContent('.run-header .strategy'))?.trim(), 'moa');
    await noProblems(panel);
  });

  test('a run shown from the palette opens the Run tab, and the keyboard goes with it', async () => {
    const panel = await onCompareTab();
    const page = panel.page;
    await page.focus('.compare-table button.open-strategy');
    // The palette picked the run shown already: the host sends no snapshot, only its answer.
    await panel.send({ type: 'show-strategy-result', strategy: 'moa', shown: true });
    await settled(page);
    assert.equal((await panel.savedState() as { tab?: string }).tab, 'run');
    await page.waitForFunction(() => document.activeElement?.classList.contains('tab-run'));
    await noProblems(panel);
  });
});

describe('saved UI state', () => {
  const events = fakeRunEvents({ prompts: 3, budget: 20, seed: 8 });
  const tree = finalTrees(events).get('p2')!;
  const { node } = refinedResponse(tree);
  const chosen = best(tree);

  test('the tab, prompt, node, view options, pair and draft survive a reload', async () => {
    const panel = await openFinished(events, 'p2');
    const page = panel.page;
    await clickNode(panel, chosen.id);
    await page.click('.detail vscode-button.mark-chosen');
    await clickNode(panel, node.id);
    await page.getByRole('button', { name: /^Diff vs #/ }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.click('vscode-checkbox.untried');
    await page.click('.detail vscode-button.edit-node');
    await page.locator('vscode-textarea.edit-text textarea').fill('half-written answer');
    await settled(page);
    const saved = await panel.savedState();
    assert.deepEqual(saved, {
      tab: 'prompt', promptId: 'p2', follow: false, nodeId: node.id, detailTab: 'detail', showDiff: true, diffMode: 'words',
      showUntried: true, zoom: 1.25, chosen: chosen.id, rejected: null, draft: { promptId: 'p2', nodeId: node.id, text: 'half-written answer' },
      runId: 'run-1',
    });

    // A new page (as after the webview was hidden or the window reloaded) gets the saved state.
    const again = await suite.open({ state: saved });
    await showSnapshot(again, snapshotOf(events));
    const p = again.page;
    assert.equal(await p.locator('.prompt-tab').isVisible(), true);
    assert.match((await p.textContent('.prompt-bar'))!, /2 \/ 3.*Prompt p2/s);
    assert.equal(await p.getAttribute('.detail', 'data-node'), String(node.id));
    assert.equal(await p.locator('vscode-textarea.edit-text textarea').inputValue(), 'half-written answer');
    assert.equal(await p.textContent('.zoom-level'), '125%');
    assert.equal((await drawnNodes(p)).length, tree.nodes.length, 'untried agents still shown');
    assert.match((await p.textContent('.preference-bar'))!, new RegExp(`Chosen\\s+#${chosen.id}`));
    await p.click('vscode-button.discard-edit');
    await settled(p);
    assert.equal(await p.locator('pre.response-text.diff').count(), 1, 'the diff view is back');
    await noProblems(panel);
    await noProblems(again);

    // A page recreated while the host switched to another run (a compared strategy's) drops the
    // selection, whose node ids name other nodes there, and keeps the view options.
    const other = await suite.open({ state: saved });
    await showSnapshot(other, snapshotOf(fakeRunEvents({ prompts: 3, budget: 20, seed: 9, runId: 'run-2' })));
    const kept = (await other.savedState()) as Record<string, unknown>;
    assert.deepEqual([kept.nodeId, kept.chosen, kept.draft, kept.runId, kept.zoom, kept.promptId], [null, null, null, 'run-2', 1.25, 'p2']);
    await noProblems(other);
  });

  test('state saved by another build falls back to defaults', async () => {
    const panel = await suite.open({ state: { tab: 'settings', zoom: 40, nodeId: -3, draft: { text: 5 }, follow: 'yes' } });
    await showSnapshot(panel, snapshotOf(events));
    assert.equal(await panel.page.locator('.agents-table').isVisible(), true, 'the Run tab');
    await panel.page.click('.tab-prompt');
    await settled(panel.page);
    assert.equal(await panel.page.textContent('.zoom-level'), '100%');
    await noProblems(panel);
  });
});
