import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contentSecurityPolicy } from '../../src/extension/panel/html';
import type { RunEvent } from '../../src/shared/events';
import type { TreeNode } from '../../src/shared/tree';
import { DEFAULT_AGENTS, fakeRunEvents } from './fixtures/fake-run';
import { clickNode, finalTrees, openPromptTab, showSnapshot, snapshotOf, startSuite, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';

/**
 * Model output, prompt text, agent names and error messages are all untrusted: the panel must
 * show markup in them as text, and the page must run under the extension's strict CSP.
 */

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const TEXT = `Sure! ${MARKUP} <b>bold</b> &amp; <a href="javascript:window.__pwned=3">link</a>`;
const AGENT = '<img src=y onerror="window.__pwned=4">';

function hostileRun(): RunEvent[] {
  const agents = [AGENT, ...DEFAULT_AGENTS.slice(1)];
  // Plays 1..4 answer from scratch under the root; later plays refine them, carrying the markup on.
  return fakeRunEvents({ prompts: 2, budget: 16, agents, textAt: { 1: TEXT, 2: TEXT, 3: TEXT, 4: TEXT, 9: MARKUP } }).map((e) => {
    if (e.type === 'prompt-queued' && e.promptId === 'p1') return { ...e, preview: `Rate this: ${MARKUP}` };
    return e;
  });
}

/** Nothing the panel rendered became an element, ran, or was blocked by the CSP. */
async function assertInert(panel: PanelPage): Promise<void> {
  const found = await panel.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    elements: document.querySelectorAll('toa-app img, toa-app script, toa-app b, toa-app a[href^="javascript"], toa-app iframe').length,
    scripts: document.scripts.length,
  }));
  assert.deepEqual(found, { pwned: undefined, elements: 0, scripts: 1 });
  assert.deepEqual(await panel.problems(), []);
}

describe('untrusted text', () => {
  test('markup in responses, prompts, agent names, errors and notices renders as text', async () => {
    const events = hostileRun();
    const tree = finalTrees(events).get('p1')!;
    const hostile = tree.nodes.find((n) => n.kind === 'response' && n.text === TEXT)!;
    const refined = tree.nodes.find((n: TreeNode) => n.kind === 'response' && n.sources?.length && n.text !== TEXT && n.text!.includes('onerror'));
    assert.ok(hostile && refined, 'the run has a hostile answer and a refinement of one');
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf([...events, { type: 'prompt-failed', promptId: 'p2', error: `bad JSON: ${MARKUP}` }]));
    await panel.send({ type: 'notice', level: 'error', message: `Endpoint said: ${MARKUP}` });
    await settled(page);

    // Run tab: agent name, prompt preview, failure reason, notice.
    assert.equal(await page.textContent('.agents-table tbody tr:first-child td:first-child'), AGENT);
    assert.equal(await page.textContent('.prompt-row[data-prompt="p1"] .preview-cell'), `Rate this: ${MARKUP}`);
    assert.match((await page.textContent('.prompt-row[data-prompt="p2"] .preview-cell'))!, /bad JSON: <img src=x onerror=/);
    assert.equal(await page.textContent('.notice-text'), `Endpoint said: ${MARKUP}`);
    assert.equal(await page.getByText(`Endpoint said: ${MARKUP}`).isVisible(), true);
    await assertInert(panel);

    // Prompt tab: the answer itself, visible, character for character.
    await openPromptTab(panel, 'p1');
    await clickNode(panel, hostile.id);
    assert.equal(await page.textContent('pre.response-text'), TEXT);
    assert.equal(await page.locator('pre.response-text').getByText('<script>window.__pwned=2</script>').isVisible(), true);
    assert.equal(await page.textContent('.detail-head strong'), AGENT);
    assert.match((await page.textContent('.prompt-bar .prompt-text'))!, /Rate this: <img/);
    assert.match((await page.getAttribute(`toa-tree g[data-id="${hostile.id}"]`, 'class'))!, /\bselected\b/);
    await assertInert(panel);

    // The diff of a refinement of it, in both modes.
    await clickNode(panel, refined.id);
    await page.getByRole('button', { name: /^Diff vs #/ }).click();
    await settled(page);
    assert.ok((await page.textContent('pre.response-text.diff'))!.includes('onerror'), 'the diff shows the markup as text');
    await page.getByRole('button', { name: 'Lines' }).click();
    await settled(page);
    await assertInert(panel);

    // The candidates list and the editor.
    await page.click('.detail-tabs vscode-tab-header >> text=Candidates');
    await page.waitForSelector('.candidate-list .candidate-row');
    assert.ok((await page.textContent('.candidate-list'))!.includes('<img src=x onerror='), 'the candidates list shows the markup as text');
    await page.click(`.candidate-row[data-node="${hostile.id}"]`);
    await page.getByRole('button', { name: 'Text', exact: true }).click();
    await page.click('.detail vscode-button.edit-node');
    assert.equal(await page.locator('vscode-textarea.edit-text textarea').inputValue(), TEXT);
    await page.click('vscode-button.accept-edited');
    await settled(page);
    assert.deepEqual((await panel.posted()).at(-1), { type: 'accept', runId: 'run-1', promptId: 'p1', nodeId: hostile.id, text: TEXT });
    await assertInert(panel);
  });
});

describe('content security policy', () => {
  test('the test page is the extension\'s own HTML, with its nonce-based CSP', async () => {
    const panel = await suite.open();
    const page = panel.page;
    const origin = new URL(suite.server.url).origin;
    const head = await page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      nonces: [...document.scripts].map((s) => s.nonce),
      sources: [...document.scripts].map((s) => s.src),
      inline: [...document.scripts].filter((s) => !s.src).length,
    }));
    assert.equal(head.sources.length, 1);
    assert.equal(head.sources[0], `${origin}/dist/webview.js`);
    assert.equal(head.inline, 0);
    assert.ok(head.nonces[0]!.length >= 24, 'a real nonce');
    assert.equal(head.csp, contentSecurityPolicy(origin, head.nonces[0]!));
    assert.match(head.csp, /default-src 'none'/);
    assert.doesNotMatch(head.csp, /unsafe-inline|unsafe-eval|\*/);
    // A fresh nonce per load.
    const other = await suite.open();
    assert.notEqual(await other.page.evaluate(() => document.scripts[0]!.nonce), head.nonces[0]);
    assert.deepEqual(await panel.problems(), []);
  });

  test('the policy is enforced and its violations are caught (so a clean run means something)', async () => {
    const panel = await suite.open();
    const page = panel.page;
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { __inline?: number };
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      const styled = document.createElement('div');
      styled.setAttribute('style', 'color: red');
      document.body.append(styled);
      const img = new Image();
      img.src = 'https://example.invalid/x.png';
      document.body.append(img);
      await new Promise((ok) => setTimeout(ok, 100));
      return { inlineRan: w.__inline === 1, colour: getComputedStyle(styled).color };
    });
    assert.equal(outcome.inlineRan, false);
    assert.notEqual(outcome.colour, 'rgb(255, 0, 0)');
    const problems = (await panel.problems()).filter((p) => p.startsWith('csp:'));
    for (const directive of ['script-src', 'style-src', 'img-src']) {
      assert.ok(problems.some((p) => p.startsWith(`csp: ${directive}`)), `a ${directive} violation is recorded: ${problems.join(' | ')}`);
    }
  });

  test('a full session (run, tree, detail, diff, editor, candidates, curation) raises no violation', async () => {
    const events = fakeRunEvents({ prompts: 3, budget: 20 });
    const tree = finalTrees(events).get('p2')!;
    const refined = tree.nodes.find((n) => n.kind === 'response' && n.sources?.length)!;
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(events));
    await page.locator('#auto-accept input').fill('1');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await openPromptTab(panel, 'p2');
    await page.click('vscode-checkbox.untried');
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.getByRole('button', { name: 'Fit width' }).click();
    await clickNode(panel, refined.id);
    await page.getByRole('button', { name: /^Diff vs #/ }).click();
    await page.click('.detail vscode-button.mark-chosen');
    await page.click('.detail vscode-button.edit-node');
    await page.locator('vscode-textarea.edit-text textarea').fill('edited');
    await page.click('vscode-button.discard-edit');
    await page.click('.detail-tabs vscode-tab-header >> text=Candidates');
    await page.click('.tab-compare');
    await panel.send({ type: 'compare', rows: [{ strategy: 'toa', meanBestReward: 1.2, prompts: 3, failed: 0, plays: 60, tokens: 9000, costUsd: 0.02, elapsedMs: 4000 }] });
    await settled(page);
    assert.equal(await page.locator('.compare-table tbody tr').count(), 1);
    await assertInert(panel);
  });
});
