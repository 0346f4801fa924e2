import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunEvent } from '../../src/shared/events';
import type { CompareRow } from '../../src/shared/protocol';
import { axeViolations, describeViolations } from './fixtures/axe';
import { fakeRunEvents } from './fixtures/fake-run';
import { clickNode, finalTrees, openPromptTab, showSnapshot, snapshotOf, startSuite, until, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';
import { screenshotScene } from './fixtures/scene';
import type { ThemeName } from './fixtures/themes';

/**
 * axe-core on the panel in every state that matters, in the light, dark and high-contrast
 * themes: any violation of a WCAG 2.1 A or AA rule, or of axe's best practices, fails the test,
 * but for the rules below, which do not apply inside a VS Code webview.
 */
const NOT_APPLICABLE: Record<string, string> = {};

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

/**
 * axe's findings in the page as it is now, as lines naming the state: none when it passes. The
 * problems the page logs while axe runs are axe's own (the CSP blocks a <style> it adds to
 * measure text), added to `axeNoise`.
 */
async function findings(panel: PanelPage, state: string, axeNoise: string[]): Promise<string[]> {
  await settled(panel.page);
  const before = await panel.problems();
  const violations = await axeViolations(panel.page, Object.keys(NOT_APPLICABLE));
  axeNoise.push(...without(await panel.problems(), before));
  return violations.length ? [`${state}:\n${describeViolations(violations)}`] : [];
}

/** `all` less one occurrence of each of `some`. */
function without(all: readonly string[], some: readonly string[]): string[] {
  const rest = [...all];
  for (const s of some) {
    const at = rest.indexOf(s);
    if (at >= 0) rest.splice(at, 1);
  }
  return rest;
}

async function showTab(panel: PanelPage, tab: 'run' | 'prompt' | 'compare'): Promise<void> {
  await panel.page.click(`vscode-tab-header.tab-${tab}`);
  await settled(panel.page);
}

const events = fakeRunEvents({ prompts: 3, budget: 20, seed: 8 });
const answers = finalTrees(events).get('p2')!.nodes.filter((n) => n.kind === 'response');
/** Part-way through the second prompt's search. */
const live = until(events, (e) => e.type === 'play-done' && e.promptId === 'p2' && e.play === 9);
const compareRow = (strategy: CompareRow['strategy'], meanBestReward: number | null, failed = 0): CompareRow =>
  ({ strategy, meanBestReward, prompts: 3 - failed, failed, plays: 60, tokens: 9000, costUsd: 0.02, elapsedMs: 4000 });

/** Each state is reached from a fresh page, as the host would bring it there; `check` runs axe. */
const STATES: Record<string, (panel: PanelPage, check: (state: string) => Promise<void>) => Promise<void>> = {
  'empty, on each tab': async (panel, check) => {
    for (const tab of ['run', 'prompt', 'compare'] as const) {
      await showTab(panel, tab);
      await check(`${tab} tab`);
    }
  },
  Preparing: async (panel, check) => {
    await panel.send({ type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'reading data/traces.jsonl for the prompts already done' } });
    await check('before any run');
    await showSnapshot(panel, snapshotOf(events));
    await panel.send({ type: 'preparing', preparing: { source: 'prompts.jsonl', step: 'checking the API keys' } });
    await check('over a finished run');
  },
  'a live run': async (panel, check) => {
    await showSnapshot(panel, { ...snapshotOf(live), running: true });
    await check('run tab');
    await showTab(panel, 'prompt');
    await panel.page.waitForSelector('toa-tree g[data-id]');
    await check('prompt tab, following the live prompt');
    await panel.send({ type: 'events', events: [{ type: 'run-cancelling', saving: ['p1'] }] });
    await check('cancelling');
  },
  'a finished run, a candidate selected': async (panel, check) => {
    await showSnapshot(panel, snapshotOf(events));
    await check('run tab');
    await openPromptTab(panel, 'p2');
    await clickNode(panel, answers[3]!.id);
    await check('prompt tab, a response selected');
    await panel.page.click('.detail vscode-button.mark-chosen');
    await clickNode(panel, answers[5]!.id);
    await panel.page.click('.detail vscode-button.mark-rejected');
    await panel.page.click('.text-toolbar .toggle:nth-child(2)');
    await check('a pair picked, the diff shown');
    await panel.page.click('.detail vscode-button.edit-node');
    await check('editing an answer');
    await clickNode(panel, 0);
    await check('the root selected');
    await panel.page.click('.detail-tabs vscode-tab-header >> text=Candidates');
    await panel.page.waitForSelector('.candidate-row');
    await check('the candidates list');
  },
  'the README scene (part-way, curated prompts, a diff)': async (panel, check) => {
    const scene = screenshotScene();
    await panel.send({ type: 'snapshot', snapshot: scene.snapshot });
    await panel.send({ type: 'select-prompt', promptId: 'p3' });
    await clickNode(panel, scene.nodeId);
    await check('prompt tab');
    await showTab(panel, 'run');
    await check('run tab');
  },
  'the Compare tab': async (panel, check) => {
    await showTab(panel, 'compare');
    await panel.send({ type: 'compare-start' });
    await check('comparing');
    await panel.send({ type: 'compare', rows: [compareRow('toa', 1.2), compareRow('best-of-n', 0.8), compareRow('moa', null, 3)] });
    await check('rows, runs not held');
    const toa = events.map((e): RunEvent => (e.type === 'run-start' ? { ...e, strategy: 'toa' } : e));
    await showSnapshot(panel, { ...snapshotOf(toa), compare: [compareRow('toa', 1.2), compareRow('best-of-n', 0.8), compareRow('moa', null, 3)], compareViews: ['toa', 'best-of-n', 'moa'] });
    await showTab(panel, 'compare');
    await check('rows, one shown, the others to open');
    await panel.page.click('.open-strategy');
    await check('a strategy opening');
  },
  'errors': async (panel, check) => {
    const failed: RunEvent[] = [...until(events, (e) => e.type === 'prompt-start' && e.promptId === 'p3'), { type: 'prompt-failed', promptId: 'p3', error: 'HTTP 429 from qwen2.5-72b after 3 retries' }];
    await showSnapshot(panel, { ...snapshotOf(failed), outcome: 'stopped' });
    await panel.send({ type: 'events', events: [{ type: 'run-warning', code: 'tau-scale', message: 'search.tau 0.1 is small for these scores: set search.tau to about 2.', suggestedTau: 2 }] });
    await panel.send({ type: 'notice', level: 'error', message: 'not saved: the disk is full' });
    await check('run tab: a failed prompt, a warning, an error notice');
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'done', reason: 'not saved: the disk is full', level: 'error' });
    await openPromptTab(panel, 'p2');
    await check('prompt tab: a decision refused');
    await panel.send({ type: 'select-prompt', promptId: 'p3' });
    await check('prompt tab: a failed prompt');
    await panel.send({ type: 'notice', level: 'info', message: "The comparison's TOA run is not held any more" });
    await check('an info notice');
  },
};

for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
  describe(`axe, ${theme} theme`, () => {
    for (const [name, reach] of Object.entries(STATES)) {
      test(name, async () => {
        const panel = await suite.open({ theme });
        const found: string[] = [];
        const axeNoise: string[] = [];
        await reach(panel, async (state) => void found.push(...(await findings(panel, state, axeNoise))));
        assert.deepEqual(found, []);
        assert.deepEqual(without(await panel.problems(), axeNoise), [], 'the page logged no problem of its own');
      });
    }
  });
}
