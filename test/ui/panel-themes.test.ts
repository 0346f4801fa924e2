import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentMarks, PLACES } from './fixtures/agent-colours';
import { docOutputDir } from './fixtures/doc-output';
import { fakeRunEvents } from './fixtures/fake-run';
import { openPromptTab, rgb, showSnapshot, snapshotOf, startSuite, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';
import { screenshotScene } from './fixtures/scene';
import { THEME_NAMES, themeFor } from './fixtures/themes';

/**
 * The panel in VS Code's light, dark, high-contrast and high-contrast light themes: it must take
 * every colour from the theme. Also takes the README's screenshots (media/screenshots/panel-<theme>.png, the
 * Prompt tab, and panel-run-<theme>.png, the Run tab), 1280x800.
 */

const OUT = docOutputDir('media', 'screenshots');
const WIDTH = 1280;
const HEIGHT = 800;

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number; bytes: number } {
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bytes: png.length };
}

async function shoot(panel: PanelPage, name: string): Promise<void> {
  // Icon and text fonts loaded, spinners stopped: the same picture every time.
  await panel.page.evaluate(() => document.fonts.ready.then(() => undefined));
  await settled(panel.page);
  const file = join(OUT, `${name}.png`);
  await panel.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  const size = pngSize(file);
  assert.deepEqual([size.width, size.height], [WIDTH, HEIGHT]);
  assert.ok(size.bytes > 40_000, `${name}.png has content (${size.bytes} bytes)`);
}

const CHARTS = ['blue', 'orange', 'purple', 'green'];

const linear = (byte: number): number => (byte / 255 <= 0.04045 ? byte / 255 / 12.92 : ((byte / 255 + 0.055) / 1.055) ** 2.4);

/** A colour's coordinates in OKLab, from sRGB bytes: distances there follow how different colours look. */
function oklab(rgb: readonly number[]): number[] {
  const [r, g, b] = rgb.map(linear) as [number, number, number];
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s];
}

/**
 * `hex` scaled towards black to OKLab lightness `l` if it is lighter: scaling l, a and b by k
 * scales linear RGB by k cubed.
 */
function darkenedTo(l: number, hex: string): string {
  const bytes = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const k = Math.min(1, l / oklab(bytes)[0]!) ** 3;
  const gamma = (c: number): number => Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055));
  return `#${bytes.map((b) => gamma(linear(b) * k).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * How far apart two agents' colours must be in OKLab (a just-noticeable difference is about
 * 0.02): Dark Modern's chart orange and red, the closest pair of VS Code's own palettes, are 0.064.
 */
const DISTINCT = 0.06;

/** Eight agents, so every colour of the palette is drawn; the seed gives each a node and a play. */
const EIGHT = fakeRunEvents({ agents: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => `agent-${x}`), prompts: 1, budget: 40, seed: 5 });

for (const theme of THEME_NAMES) {
  describe(`${theme} theme`, () => {
    const vars = themeFor(theme).variables;
    const v = (name: string): string => rgb(vars[`--vscode-${name}`]!);
    const light = theme === 'light' || theme === 'high-contrast-light';
    /**
     * An agent's chart colour as the panel draws it (styles.css): High Contrast Light sets no
     * orange (themes.ts) and Light's is its yellow's amber, so light themes take the panel's own;
     * on a light page, a colour lighter than OKLab 0.6 is scaled towards black to it.
     */
    const chart = (name: string): string => {
      const hex = vars[`--vscode-charts-${name}`] === undefined || (light && name === 'orange') ? '#c05e00' : vars[`--vscode-charts-${name}`]!;
      return light ? rgb(darkenedTo(0.6, hex)) : rgb(hex);
    };

    test("every agent's colour is at least 3:1 against what it is drawn on, and the eight stay apart", async () => {
      // WCAG 1.4.11: the colour is all that tells one agent's nodes, plays and rows from another's.
      const panel = await suite.open({ theme });
      await showSnapshot(panel, snapshotOf(EIGHT));
      await panel.page.click('.tab-run');
      await panel.page.waitForSelector('.agents-table .swatch');
      const marks = await agentMarks(panel.page);
      await openPromptTab(panel, 'p1');
      await panel.page.waitForSelector('toa-chart.prompt-chart .dot');
      marks.push(...(await agentMarks(panel.page)));
      const agents = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
      for (const place of Object.keys(PLACES)) {
        assert.deepEqual([...new Set(marks.filter((m) => m.place === place).map((m) => m.agent))].sort(), agents, `${place}: every agent's colour is drawn`);
      }
      const low = marks.filter((m) => m.ratio < 3).map((m) => `${m.place}: ${m.agent} rgb(${m.rgb.join(', ')}) is ${m.ratio}:1`);
      assert.deepEqual([...new Set(low)], []);
      const legend = agents.map((a) => oklab(marks.find((m) => m.place === 'tree: legend' && m.agent === a)!.rgb));
      const close: string[] = [];
      for (let i = 0; i < legend.length; i++) {
        for (let j = i + 1; j < legend.length; j++) {
          const d = Math.hypot(...legend[i]!.map((v, k) => v - legend[j]![k]!));
          if (d < DISTINCT) close.push(`a${i} and a${j} are ${d.toFixed(3)} apart`);
        }
      }
      assert.deepEqual(close, []);
      assert.deepEqual(await panel.problems(), []);
    });

    test('colours come from the theme, and the screenshots are written', async () => {
      const scene = screenshotScene();
      const tree = scene.snapshot.trees[scene.snapshot.prompts[2]!.id]!;
      const panel = await suite.open({ theme, state: scene.ui, width: WIDTH, height: HEIGHT });
      const page = panel.page;
      await panel.send({ type: 'snapshot', snapshot: scene.snapshot });
      await page.waitForSelector(`.detail[data-node="${scene.nodeId}"] pre.response-text.diff ins`);
      await settled(page);

      // Colours made with relative colour syntax compute as `color(srgb r g b)` or `oklab(l a b)`:
      // compared as rgb(), through a canvas.
      const style = (selector: string, prop: string): Promise<string> => page.$eval(selector, (el, p) => {
        const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
        ctx.fillStyle = getComputedStyle(el).getPropertyValue(p);
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
        return a === 0 ? 'rgba(0, 0, 0, 0)' : `rgb(${r}, ${g}, ${b})`;
      }, prop);
      assert.equal(await style('body', 'background-color'), v('editor-background'));
      assert.equal(await style('.run-state', 'color'), v('foreground'));
      assert.equal(await style('.card', 'background-color'), v('editorWidget-background'));
      const button = await page.$eval('vscode-button.accept-best', (el) => getComputedStyle(el.shadowRoot!.querySelector('.base')!).backgroundColor);
      // High Contrast sets no button fill (VS Code injects none): vscode-elements' own applies.
      if (vars['--vscode-button-background'] !== undefined) assert.equal(button, v('button-background'));
      for (let a = 0; a < 4; a++) {
        const id = tree.nodes.find((n) => n.kind === 'response' && n.agent === a)!.id;
        assert.equal(await style(`toa-tree g[data-id="${id}"] .stripe`, 'fill'), chart(CHARTS[a]!), `agent ${a}`);
        assert.equal(await style(`.tree-legend span:nth-child(${a + 1}) .swatch`, 'background-color'), chart(CHARTS[a]!));
      }
      assert.equal(await style('toa-tree path.edge.best', 'stroke'), v('foreground'), 'the best path stands out in the text colour');
      assert.equal(await style(`toa-tree g[data-id="${scene.nodeId}"] rect`, 'stroke'), v('focusBorder'), 'the selected node has the focus colour');
      if (theme.startsWith('high-contrast')) {
        // High contrast: no tinted fills, agent-coloured borders, contrast border on the root.
        const id = tree.nodes.find((n) => n.kind === 'response' && n.id !== scene.nodeId)!.id;
        assert.equal(await style(`toa-tree g[data-id="${id}"] rect`, 'fill'), v('editor-background'));
        assert.equal(await style('toa-tree g[data-id="0"] rect', 'stroke'), v('contrastBorder'));
      }
      await shoot(panel, `panel-${theme}`);

      await page.click('.tab-run');
      await page.waitForSelector('.agents-table');
      await page.waitForSelector('.run-chart circle.dot');
      assert.equal(await style('.agents-table tbody tr:nth-child(2) .swatch', 'background-color'), chart('orange'));
      // High Contrast sets no selection fill (VS Code injects none): the selected prompt must still show.
      const mark = await page.$eval('.prompt-row.selected', (el) => ({ fill: getComputedStyle(el).backgroundColor, outline: getComputedStyle(el).outlineStyle }));
      assert.ok(mark.fill !== 'rgba(0, 0, 0, 0)' || mark.outline !== 'none', `the prompt shown on the Prompt tab is marked in the list: ${JSON.stringify(mark)}`);
      // Filled with the border colour, a track left no agent's bar 3:1, and an empty share looked full in high contrast.
      assert.equal(await style('.share-track', 'background-color'), 'rgba(0, 0, 0, 0)', "a share's track is an outline");
      await shoot(panel, `panel-run-${theme}`);
      assert.deepEqual(await panel.problems(), []);
    });
  });
}

