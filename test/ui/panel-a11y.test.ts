import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunEvent } from '../../src/shared/events';
import type { CompareRow } from '../../src/shared/protocol';
import { gridCells } from './fixtures/ax-tree';
import { axeViolations, describeViolations } from './fixtures/axe';
import { fakeRunEvents } from './fixtures/fake-run';
import { clickNode, finalTrees, openPromptTab, showSnapshot, snapshotOf, startSuite, stream, until, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';
import { screenshotScene } from './fixtures/scene';
import { THEME_NAMES } from './fixtures/themes';

/**
 * axe-core on the panel in every state that matters, in the light, dark, high-contrast and
 * high-contrast light themes: any violation of a WCAG 2.1 A or AA rule, or of axe's best
 * practices (landmarks, a level-one heading), fails the test, but for the rules named here with why they do not apply
 * inside a VS Code webview. None so far: the page has its own <html lang> and <title>, and the
 * landmarks and heading a page of its own would have.
 *
 * axe leaves some checks to a person ("incomplete"), which do not fail the test: the contrast of
 * the agents table's sticky first column (a gradient background, composed from the colours of the
 * other cells, which pass), of vscode-elements' buttons (their colours are the theme's button
 * colours), and of SVG text (tested below, in "what axe cannot check").
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
  'at half width, beside the editor': async (panel, check) => {
    await panel.page.setViewportSize({ width: 480, height: 800 });
    await showSnapshot(panel, snapshotOf(events));
    await check('run tab, the agents table scrolling sideways');
    await panel.page.$eval('.agents-card [role="region"]', (box) => void (box.scrollLeft = box.scrollWidth));
    await check('run tab, the agents table scrolled to its end');
    await openPromptTab(panel, 'p2');
    await panel.send({ type: 'prompt-status', promptId: 'p2', status: 'rejected', reason: 'rejected: nothing written' });
    await clickNode(panel, answers[3]!.id);
    await check('prompt tab, a rejected prompt, its tree header wrapped');
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

for (const theme of THEME_NAMES) {
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

describe('what axe cannot check', () => {
  /** Every text the run's live region took while the run's events came in batches, as a screen reader is handed them. */
  async function runAnnouncements(run: readonly RunEvent[]): Promise<string[]> {
    const panel = await suite.open();
    await panel.page.evaluate(() => {
      const region = document.querySelector('[data-announce="run"]')!;
      const said: string[] = ((window as unknown as { __said: string[] }).__said = []);
      new MutationObserver(() => said.push((region.textContent ?? '').trim())).observe(region, { subtree: true, characterData: true, childList: true });
    });
    // Each batch is drawn before the next is sent, as a host's batches come apart in time: the
    // panel draws once per frame, and batches sent faster than frames would be folded into one
    // drawing (on a loaded machine, a whole step of prompts), so a step's words would never show.
    for (let i = 0; i < run.length; i += 4) await stream(panel, run.slice(i, i + 4));
    return panel.page.evaluate(() => (window as unknown as { __said: string[] }).__said.filter((text, i, all) => text !== all[i - 1]));
  }

  test('a run is announced when it starts, at each quarter of its prompts and when it ends: not at every play', async () => {
    const run = fakeRunEvents({ prompts: 8, budget: 6, seed: 4 }).map((e) => (e.type === 'run-start' ? { ...e, prompts: 8 } : e));
    assert.deepEqual(await runAnnouncements(run), [
      'Running: 0 of 8 prompts done', 'Running: 2 of 8 prompts done', 'Running: 4 of 8 prompts done', 'Running: 6 of 8 prompts done', 'Run finished: 8 of 8 prompts done',
    ]);
  });

  test('a run whose input is read as it goes (its total grows) is announced every ten prompts, not at each prompt queued', async () => {
    const run = fakeRunEvents({ prompts: 12, budget: 2, seed: 4 });
    assert.deepEqual(await runAnnouncements(run), ['Running: 0 prompts done', 'Running: 10 prompts done', 'Run finished: 12 of 12 prompts done']);
  });

  test("the prompt and candidate lists: a screen reader reads each cell with its column's header", async () => {
    const panel = await suite.open();
    const page = panel.page;
    await showSnapshot(panel, snapshotOf(events));
    const first = snapshotOf(events).prompts[0]!;
    const prompts = await gridCells(page, 'Prompts');
    assert.equal(prompts.length, 3, 'one row per prompt, the header row apart');
    assert.deepEqual(prompts[0], [['Status', 'Done'], ['Prompt', first.preview], ['Best', first.bestReward!.toFixed(3)], ['Plays', String(first.plays)]]);
    await openPromptTab(panel, 'p2');
    await page.click('.detail-tabs vscode-tab-header >> text=Candidates');
    await page.waitForSelector('.candidate-row');
    const candidates = await gridCells(page, 'Candidates');
    assert.ok(candidates.length >= 10, `${candidates.length} candidate rows`);
    const best = [...answers].sort((a, b) => b.reward! - a.reward! || a.id - b.id)[0]!;
    assert.deepEqual(candidates[0]!.slice(0, 3), [['Rank', '1'], ['Reward', best.reward!.toFixed(3)], ['Agent', finalTrees(events).get('p2')!.agents[best.agent!]]]);
    assert.equal(candidates[0]![3]![0], 'Answer');
  });

  test("the tree's labels (SVG text on the node's tinted fill) are at least 4.5:1 in every theme", async () => {
    for (const theme of THEME_NAMES) {
      const panel = await suite.open({ theme });
      await showSnapshot(panel, snapshotOf(events));
      await openPromptTab(panel, 'p2');
      const ratios = await panel.page.evaluate(() => {
        // Colours through a canvas: it resolves color-mix() and relative colours to sRGB bytes.
        const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
        const bytes = (css: string): number[] => {
          ctx.clearRect(0, 0, 1, 1);
          ctx.fillStyle = css;
          ctx.fillRect(0, 0, 1, 1);
          return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
        };
        const luminance = (rgb: number[]): number => {
          const [r, g, b] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const ratio = (a: number[], b: number[]): number => {
          const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
          return (hi! + 0.05) / (lo! + 0.05);
        };
        const worst: Record<string, number> = {};
        for (const g of document.querySelectorAll('toa-tree g.node')) {
          const shape = g.querySelector('rect');
          if (!shape) continue;
          for (const text of g.querySelectorAll('text')) {
            const what = `${g.classList[1]} ${text.getAttribute('class')}`;
            const r = ratio(bytes(getComputedStyle(text).fill), bytes(getComputedStyle(shape).fill));
            worst[what] = Math.min(worst[what] ?? Infinity, Math.round(r * 100) / 100);
          }
        }
        return worst;
      });
      assert.deepEqual(Object.keys(ratios).sort(), ['response label', 'response visits', 'root label'], `${theme}: every kind of label was measured`);
      for (const [what, r] of Object.entries(ratios)) assert.ok(r >= 4.5, `${theme}: ${what} is ${r}:1`);
    }
  });

  test('with prefers-reduced-motion the spinners stand still; without it they turn', async () => {
    for (const motion of ['reduce', 'no-preference'] as const) {
      const panel = await suite.open();
      await panel.page.emulateMedia({ reducedMotion: motion });
      await showSnapshot(panel, { ...snapshotOf(live), running: true });
      await panel.page.waitForSelector('.run-header .codicon-modifier-spin');
      const moving = await panel.page.evaluate(() => document.getAnimations().map((a) => (a.effect as KeyframeEffect | null)?.target?.className ?? ''));
      if (motion === 'reduce') assert.deepEqual(moving, [], 'nothing moves');
      else assert.ok(moving.some((c) => String(c).includes('codicon-modifier-spin')), `the spinners turn: ${moving.join(', ')}`);
    }
  });
});
