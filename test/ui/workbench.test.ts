import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { sftProblems } from '../helpers/fine-tuning-formats';
import { docOutputDir } from './fixtures/doc-output';
import { startChatServer, type ChatServer } from './workbench/chat-server';
import { diagnose } from './workbench/diagnose';
import { clickCodeLens, openFromExplorer, selectLines } from './workbench/editor';
import { pollJsonl } from './workbench/files';
import { clearNotifications, closeSideBars, parkPointer, setFirstGroupWidth } from './workbench/layout';
import { pickItem, runCommand, setColorTheme } from './workbench/palette';
import { PanelDriver } from './workbench/panel';
import { startSession, THEMES, type Session } from './workbench/session';

/**
 * TOA Studio in a real VS Code: code-server (VS Code 1.139) with this repository as the
 * extension under development, driven through headless Chromium like a user would: Explorer,
 * editor selection, command palette, and clicks in the panel webview. Each suite runs on a temp
 * copy of a small workspace; code-server and every server the test starts stop in after-hooks.
 * Set TOA_UI_KEEP=1 to keep the workspace and code-server's run folder (logs) for debugging.
 */

const PROMPTS = [
  { id: 'haiku', prompt: 'Write a haiku about version control.' },
  { id: 'explain-mcts', prompt: 'Explain Monte Carlo Tree Search to a software engineer in three short paragraphs.' },
  { id: 'regex', prompt: 'Give a regular expression that matches ISO 8601 dates and explain each part.' },
];
const jsonl = (rows: readonly object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/**
 * Rows whose id, quoted in the notification that reports them, VS Code would render as a link
 * running a command (see src/extension/inert-text.ts).
 */
const HOSTILE_ID = '[Open the log](command:workbench.action.files.newUntitledFile)';
const HOSTILE_ROWS = [{ id: HOSTILE_ID, prompt: 'one' }, { id: HOSTILE_ID, prompt: 'two' }];

const SCREENSHOTS = docOutputDir('media', 'screenshots');

/** A key that reloads the window at once (the palette takes a second or two to run Developer: Reload Window), as keybindings.json and Playwright spell it. */
const RELOAD_KEY = { binding: 'ctrl+alt+shift+r', press: 'Control+Alt+Shift+KeyR' };

/** Bounds, generous for a loaded 2-core machine (a whole file takes about 45 s on an idle one). */
const START_TIMEOUT = 180_000;
const TEST_TIMEOUT = 180_000;
const STOP_TIMEOUT = 60_000;

interface SftRow {
  messages: Array<{ role: string; content: string; weight?: number }>;
}

describe('TOA Studio in the workbench (simulated endpoints)', { timeout: 600_000 }, () => {
  let session: Session | undefined;
  let panel: PanelDriver;
  const selected = PROMPTS.slice(0, 2).map((p) => p.id);

  before(async () => {
    session = await startSession({
      files: { 'prompts.jsonl': jsonl(PROMPTS) },
      theme: THEMES.light,
      // Slow enough that the tree is seen growing; the panel curates (no auto-accept).
      settings: { 'toaStudio.simulator.latencyMs': 250, 'toaStudio.autoAcceptAbove': null },
      keybindings: [{ key: RELOAD_KEY.binding, command: 'workbench.action.reloadWindow' }],
    });
    panel = new PanelDriver(session.panel);
  }, { timeout: START_TIMEOUT });

  after(async () => {
    await session?.close();
  }, { timeout: STOP_TIMEOUT });

  /**
   * Synthesize Selection on the first two rows, which the tests below curate. Run once: by the
   * first test, or by a test run alone (--test-name-pattern) that needs it.
   */
  let searched: Promise<void> | undefined;
  const searchSelected = (): Promise<void> => (searched ??= (async () => {
    const { page } = session!;
    await openFromExplorer(page, 'prompts.jsonl');
    // The extension activates on JSONL and shows its status bar item.
    await page.locator('.statusbar-item', { hasText: /^\s*TOA\b/ }).first().waitFor({ timeout: 60_000 });
    await selectLines(page, 1, 2);
    await runCommand(page, 'TOA Studio: Synthesize Selection');

    await page.locator('.tab', { hasText: 'TOA Studio' }).waitFor();
    await panel.ready();
    await panel.showTab('prompt');
    // Following live: the tree of the prompt being searched, drawn as it grows.
    await panel.treeNodes('.root').waitFor({ state: 'visible' });
    await panel.treeNodes('.response').first().waitFor({ state: 'visible', timeout: 60_000 });

    await panel.waitForStatus(selected, 'done');
  })());

  test('Synthesize Selection on two rows opens the panel with a live tree', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'synthesize-selection', async () => {
      await searchSelected();
      assert.equal(await panel.promptRow(PROMPTS[2]!.id).count(), 0, 'the unselected row is not searched');
      // Without auto-accept the run wrote only its trace: the finish message says what comes next.
      const { page } = session!;
      await runCommand(page, 'Notifications: Show Notifications');
      const finished = page.locator('.notifications-center .notification-list-item', { hasText: 'finished prompts.jsonl lines 1-2' });
      await finished.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await finished.textContent())!, /Accept or reject the answers in the panel: data\/sft\.jsonl gets a row for each one you accept\./);
      await runCommand(page, 'Notifications: Hide Notifications');
    });
  });

  test('accepting the best answer in the panel appends an SFT row', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'accept', async () => {
      const promptId = selected[0]!;
      await panel.openPrompt(promptId);
      const best = await panel.bestNodeId();
      const detail = await panel.selectNode(best);
      const text = await detail.locator('pre.response-text').textContent();
      assert.ok(text && text.trim(), 'the best answer has text');
      await detail.locator('vscode-button.accept-node').click();

      const rows = await pollJsonl<SftRow>(join(session!.workspace, 'data', 'sft.jsonl'), (r) => r.length >= 1);
      assert.equal(rows.length, 1, 'exactly one SFT row');
      assert.deepEqual(sftProblems(await readFile(join(session!.workspace, 'data', 'sft.jsonl'), 'utf8')), [], 'the fine-tuning format');
      const { messages } = rows[0]!;
      assert.deepEqual(messages.slice(0, -1), [{ role: 'user', content: PROMPTS[0]!.prompt }]);
      assert.deepEqual(messages.at(-1), { role: 'assistant', content: text, weight: 1 });

      // The panel hears back from the host: the prompt is marked accepted.
      await panel.waitForStatus([promptId], 'accepted', 20_000);

      // No second row: the answer's own Accept closes too, saying why (the host would refuse one,
      // see curation-service.test.ts).
      await panel.openPrompt(promptId);
      const again = await panel.selectNode(best);
      const accept = again.locator('vscode-button.accept-node');
      assert.deepEqual([await accept.getAttribute('disabled'), await accept.getAttribute('title')], ['', 'Already accepted: the prompt has its SFT row. Edit the SFT file to change it']);
      assert.equal((await pollJsonl<SftRow>(join(session!.workspace, 'data', 'sft.jsonl'), (r) => r.length >= 1)).length, 1, 'still one SFT row');
    });
  });

  test('screenshots of the workbench with a tree, light and dark', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'screenshots', async () => {
      const { page } = session!;
      await panel.openPrompt(selected[1]!);
      await panel.selectNode(await panel.bestNodeId());
      await tidyForScreenshot(session!, panel);
      await page.screenshot({ path: join(SCREENSHOTS, 'workbench-light.png') });
      await setColorTheme(page, THEMES.dark);
      await parkPointer(page);
      await settle(session!);
      await page.screenshot({ path: join(SCREENSHOTS, 'workbench-dark.png') });
    });
  });

  test('the panel survives a window reload: a decision made just before it, statuses and trees come back', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'reload', async () => {
      const { page } = session!;
      await searchSelected();
      // A reject, then the reload at once: a save still pending as the window closes does not
      // land, so the panel must have saved the decision as it was made.
      const rejected = selected[1]!;
      await panel.openPrompt(rejected);
      await panel.doc.locator('.prompt-bar vscode-button.reject-prompt').click();
      await panel.waitForStatus([rejected], 'rejected', 20_000);
      // By key, from the panel: the palette would take a second or two, time enough for a late save.
      await page.keyboard.press(RELOAD_KEY.press);
      // The serializer brings the panel back and the host restores the last run's snapshot.
      await panel.ready(120_000);
      await panel.promptRow(selected[0]!).waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await panel.promptRow(rejected).locator('span.status.status-rejected').count(), 1, 'the reject made just before the reload');
      await panel.openPrompt(selected[0]!);
      assert.ok((await panel.treeNodes('.response').count()) > 1, 'the restored tree has its responses');
      // The status bar sums up the same run again, not a bare "TOA".
      await page.locator('.statusbar-item', { hasText: 'last run done: 2/2' }).first().waitFor({ timeout: 30_000 });
    });
  });

  test('Show tree after another run shows prompts decided as the panel did right after the decision: rejected, accepted', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'show-tree-decided', async () => {
      const { page } = session!;
      // Decided by the tests above: the first row accepted, the second rejected before the reload.
      const [accepted, rejected] = selected as [string, string];
      // Another run: the panel now shows it, without the decided prompts.
      await page.locator('.tabs-container .tab[aria-label^="prompts.jsonl"]').click();
      await selectLines(page, 3, 3);
      await runCommand(page, 'TOA Studio: Synthesize Selection');
      await panel.waitForStatus([PROMPTS[2]!.id], 'done');
      assert.equal(await panel.promptRow(rejected).count(), 0, 'the new run replaced the prompts');
      // The rejection wrote no row: only the extension's own record can say it was rejected.
      await page.locator('.tabs-container .tab[aria-label^="prompts.jsonl"]').click();
      await clickCodeLens(page, 'Show tree', 2);
      await panel.doc.locator('.prompt-bar span.status.status-rejected').waitFor({ state: 'visible', timeout: 30_000 });
      await panel.doc.locator('.prompt-tab .prompt-reason', { hasText: 'rejected: nothing written' }).waitFor({ state: 'visible' });
      assert.equal(await panel.doc.locator('.prompt-bar vscode-button.reject-prompt').getAttribute('disabled'), '', 'Reject is closed, as after the reject');
      assert.equal(await panel.doc.locator('.prompt-bar vscode-button.accept-best').getAttribute('disabled'), null, 'Accept stays open: it changes the decision');
      await panel.waitForStatus([rejected], 'rejected', 10_000);
      // The accepted one: the SFT file answers it.
      const showAccepted = async (line: number): Promise<void> => {
        await page.locator('.tabs-container .tab[aria-label^="prompts.jsonl"]').click();
        await clickCodeLens(page, 'Show tree', line);
        // That prompt's bar (the one shown before may read accepted too), then its status.
        await panel.doc.locator('.prompt-bar .prompt-text', { hasText: PROMPTS[line - 1]!.prompt }).waitFor({ state: 'visible', timeout: 30_000 });
        await panel.doc.locator('.prompt-bar span.status.status-accepted').waitFor({ state: 'visible', timeout: 30_000 });
        await panel.doc.locator('.prompt-tab .prompt-reason', { hasText: 'SFT row -> data/sft.jsonl' }).waitFor({ state: 'visible' });
        assert.equal(await panel.doc.locator('.prompt-bar vscode-button.accept-best').getAttribute('disabled'), '', 'Accept is closed, as after the accept');
      };
      await showAccepted(1);
      await panel.waitForStatus([accepted], 'accepted', 10_000);
      // Accept instead: the rejected one gets its row, and shown again it reads accepted, its rejection forgotten.
      await page.locator('.tabs-container .tab[aria-label^="prompts.jsonl"]').click();
      await clickCodeLens(page, 'Show tree', 2);
      await panel.doc.locator('.prompt-bar span.status.status-rejected').waitFor({ state: 'visible', timeout: 30_000 });
      await panel.doc.locator('.prompt-bar vscode-button.accept-best').click();
      await panel.doc.locator('.prompt-bar span.status.status-accepted').waitFor({ state: 'visible', timeout: 30_000 });
      await showAccepted(1);
      await showAccepted(2);
      await panel.waitForStatus([rejected], 'accepted', 10_000);
    });
  });

  test("a comparison: the Compare tab opens TOA's run, whose edited best answer is accepted", { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'compare', async () => {
      const { page } = session!;
      const row = PROMPTS[2]!;
      const sft = join(session!.workspace, 'data', 'sft.jsonl');
      const rowsBefore = existsSync(sft) ? (await readFile(sft, 'utf8')).split('\n').filter(Boolean).length : 0;
      await page.locator('.tabs-container .tab[aria-label^="prompts.jsonl"]').click();
      await selectLines(page, 3, 3);
      await runCommand(page, 'TOA Studio: Compare Strategies on Selection');
      // Six strategies run one after another; the last (MoA) is shown when they end.
      await panel.showTab('compare');
      const openToa = panel.doc.locator('.compare-table button.open-strategy', { hasText: 'TOA (tree search)' });
      await openToa.waitFor({ state: 'visible', timeout: 150_000 });
      await panel.doc.locator('.compare-table .shown-tag').waitFor();
      await openToa.click();
      await panel.doc.locator('.run-header .strategy', { hasText: /^\s*toa\s*$/ }).waitFor();

      await panel.openPrompt(row.id);
      const best = await panel.bestNodeId();
      const detail = await panel.selectNode(best);
      await detail.locator('vscode-button.edit-node').click();
      const edited = 'A regex for ISO 8601 dates: ^\\d{4}-\\d{2}-\\d{2}$ (edited by hand).';
      await panel.doc.locator('vscode-textarea.edit-text textarea').fill(edited);
      await panel.doc.locator('vscode-button.accept-edited').click();

      const rows = await pollJsonl<SftRow>(sft, (r) => r.length > rowsBefore);
      assert.deepEqual(rows.at(-1)!.messages, [{ role: 'user', content: row.prompt }, { role: 'assistant', content: edited, weight: 1 }]);
      assert.deepEqual(sftProblems(await readFile(sft, 'utf8')), [], 'the fine-tuning format');
      // The tree keeps the model's text; the verdict says the row holds the edit.
      await panel.doc.locator('.prompt-tab .prompt-reason', { hasText: `your edit of #${best} as SFT row` }).waitFor({ state: 'visible', timeout: 20_000 });

      // The palette's way to the same runs: a quick pick of the compared strategies. The run
      // opens in the Run tab, whichever tab the panel was on.
      await panel.showTab('compare');
      // TOA's run was kept mid-comparison: shown now, it must not say the comparison still runs.
      await panel.doc.locator('.compare-table').waitFor({ state: 'visible', timeout: 10_000 });
      // The comparison's report opens in an editor when it ends; on a loaded machine it can open
      // late and take the focus from the quick pick below, which then closes.
      await page.locator('.tabs-container .tab', { hasText: 'strategy comparison' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await runCommand(page, "TOA Studio: Show a Compared Strategy's Run...", { opensPicker: true });
      await pickItem(page, 'Sequential refinement');
      await panel.doc.locator('.run-header .strategy', { hasText: /^\s*sequential\s*$/ }).waitFor();
      await panel.doc.locator('.run-tab').waitFor({ state: 'visible', timeout: 10_000 });
    });
  });

  test('the Get Started walkthrough: its first step writes the sample prompts and opens them', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'walkthrough', async () => {
      const { page } = session!;
      await runCommand(page, 'Welcome: Open Walkthrough...', { opensPicker: true });
      await pickItem(page, 'Get Started with TOA Studio');
      const walkthrough = page.locator('.gettingStartedContainer');
      for (const title of ['Try it on sample prompts', 'Point it at your models', 'Add your API keys', 'Compare TOA with the baselines']) {
        await walkthrough.getByText(title, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
      }
      await walkthrough.getByText('Try it on sample prompts', { exact: true }).first().click();
      await walkthrough.getByRole('button', { name: 'Open Sample Prompts' }).first().click();
      await page.locator('.tabs-container .tab[aria-label^="toa-sample-prompts.jsonl"]').waitFor({ timeout: 30_000 });
      const copy = await readFile(join(session!.workspace, 'toa-sample-prompts.jsonl'), 'utf8');
      assert.equal(copy, await readFile(join(__dirname, '../../examples/demo/prompts.jsonl'), 'utf8'));
    });
  });
});

const MARKUP = '<img src=x onerror="window.__pwned=1">';

describe('model text renders as text in the real panel', { timeout: 600_000 }, () => {
  let session: Session | undefined;
  let chat: ChatServer | undefined;

  before(async () => {
    chat = await startChatServer({ reply: (n, model) => `Answer ${n + 1} from ${model}: ${MARKUP} <b>bold?</b>` });
    const config = {
      agents: ['alpha', 'beta'].map((name) => ({ name, baseURL: `${chat!.url}/v1`, model: `${name}-model`, maxRetries: 0 })),
      reward: { type: 'vllm', baseURL: chat.url, model: 'reward-model' },
      search: { budget: 6 },
    };
    session = await startSession({
      files: { 'prompts.jsonl': jsonl([PROMPTS[0]!]), 'toa.config.json': JSON.stringify(config, null, 2), 'hostile.jsonl': jsonl(HOSTILE_ROWS) },
      settings: { 'toaStudio.autoAcceptAbove': null },
    });
  }, { timeout: START_TIMEOUT });

  after(async () => {
    await session?.close();
    await chat?.close();
  }, { timeout: STOP_TIMEOUT });

  test('an answer with an <img onerror> shows literally, runs nothing', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'markup-as-text', async () => {
      const { page } = session!;
      const panel = new PanelDriver(session!.panel);
      await openFromExplorer(page, 'prompts.jsonl');
      await selectLines(page, 1, 1);
      await runCommand(page, 'TOA Studio: Synthesize Selection');
      await panel.ready();
      await panel.waitForStatus([PROMPTS[0]!.id], 'done');
      assert.ok(chat!.counts.chat >= 1 && chat!.counts.classify >= 1, `the agents and the reward model were called: ${JSON.stringify(chat!.counts)}`);

      await panel.openPrompt(PROMPTS[0]!.id);
      const node = Number(await panel.treeNodes('.response').first().getAttribute('data-id'));
      const detail = await panel.selectNode(node);
      const pre = detail.locator('pre.response-text');
      await pre.waitFor({ state: 'visible' });
      const text = (await pre.textContent()) ?? '';
      assert.match(text, /^Answer \d+ from (alpha|beta)-model: /);
      assert.ok(text.includes(MARKUP), `the markup shows literally: ${text}`);
      // Visible to the user as characters, not an element.
      await panel.doc.getByText(MARKUP, { exact: false }).first().waitFor({ state: 'visible' });

      // The ranked candidates list shows the same text, also literally.
      await panel.doc.locator('.detail-tabs vscode-tab-header', { hasText: 'Candidates' }).click();
      const preview = panel.doc.locator('.candidate-row[data-node] .preview-cell').first();
      await preview.waitFor({ state: 'visible' });
      assert.ok(((await preview.textContent()) ?? '').includes(MARKUP), 'the candidates list shows the markup as text');

      const frame = await session!.panelFrame();
      assert.equal(await frame.locator('img').count(), 0, 'no <img> element in the panel');
      assert.equal(await frame.locator('b').count(), 0, 'no <b> element from model text');
      const pwned = (f: Frame): Promise<unknown> => f.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
      assert.equal(await pwned(frame), undefined, 'window.__pwned in the panel');
      // And in every other frame of the page: the workbench and the webview's host frame.
      for (const f of page.frames()) assert.equal(await pwned(f).catch(() => undefined), undefined, `window.__pwned in ${f.url()}`);
    });
  });

  test('a dataset\'s text quoted in a notification is no command link', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'inert-notification', async () => {
      const { page } = session!;
      await clearNotifications(page);
      await openFromExplorer(page, 'hostile.jsonl');
      await selectLines(page, 1, 2);
      await runCommand(page, 'TOA Studio: Synthesize Selection');
      // The rows' duplicate id is the first problem, and the error notification quotes it (read
      // in the notification center: a toast may have gone by the time it is looked at).
      await runCommand(page, 'Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: 'duplicate id' });
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await item.textContent())!, /duplicate id "\[Open the log\] \(command:workbench\.action\.files\.newUntitledFile\)"/);
      assert.equal(await item.locator('.notification-list-item-message a').count(), 0, 'no link in the message');
      await clearNotifications(page);
      await runCommand(page, 'Notifications: Hide Notifications');
    });
  });

  test('with its endpoints down a run stops at once, and the panel says why', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'stopped', async () => {
      const { page } = session!;
      const panel = new PanelDriver(session!.panel);
      await chat!.close();
      chat = undefined;
      await page.locator('.tabs-container .tab[aria-label^="prompts.jsonl"]').click();
      await selectLines(page, 1, 1);
      await runCommand(page, 'TOA Studio: Synthesize Selection');
      await panel.showTab('run');
      await panel.doc.locator('.run-header .run-state', { hasText: 'Stopped by an error' }).waitFor({ state: 'visible', timeout: 60_000 });
      const notice = panel.doc.locator('.notice.error', { hasText: 'The run stopped' });
      await notice.waitFor({ state: 'visible', timeout: 20_000 });
      // Named by the config field to fix and its URL.
      assert.match((await notice.textContent())!, /cannot be reached at http:\/\/127\.0\.0\.1:\d+\/v1 \(agents\[\d\]\.baseURL\) and has not answered once in this run/);
      assert.equal(await panel.promptRow(PROMPTS[0]!.id).locator('span.status.status-failed').count(), 1, 'the prompt it was searching failed');
    });
  });
});

/**
 * The README screenshots: no side bars or notifications, prompts.jsonl in a narrow editor
 * group on the left, the panel wide enough to lay the tree and the detail side by side.
 */
async function tidyForScreenshot(session: Session, panel: PanelDriver): Promise<void> {
  const { page } = session;
  await closeSideBars(page);
  await clearNotifications(page);
  await setFirstGroupWidth(page, 400);
  await parkPointer(page);
  await panel.doc.locator('.prompt-body').waitFor();
  await settle(session);
}

/** Waits for the panel's layout and fonts to settle after a change (two animation frames). */
async function settle(session: Session): Promise<void> {
  const frame = await session.panelFrame();
  await frame.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  await session.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
