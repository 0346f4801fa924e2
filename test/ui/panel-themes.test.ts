import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { docOutputDir } from './fixtures/doc-output';
import { asRgb, rgb, startSuite, type Suite } from './fixtures/host';
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

/** The contrast ratio of two computed colours, `rgb(r, g, b)` (WCAG 2's formula). */
function contrast(a: string, b: string): number {
  const luminance = (css: string): number => {
    const [r, g, b] = css.match(/\d+/g)!.slice(0, 3).map((c) => Number(c) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

for (const theme of THEME_NAMES) {
  describe(`${theme} theme`, () => {
    const vars = themeFor(theme).variables;
    const v = (name: string): string => rgb(vars[`--vscode-${name}`]!);
    /** An agent's chart colour; High Contrast Light sets no orange (themes.ts): the panel's own, dark enough for its white. */
    const chart = (name: string): string => (vars[`--vscode-charts-${name}`] === undefined ? rgb('#c05e00') : v(`charts-${name}`));

    test('colours come from the theme, and the screenshots are written', async () => {
      const scene = screenshotScene();
      const tree = scene.snapshot.trees[scene.snapshot.prompts[2]!.id]!;
      const panel = await suite.open({ theme, state: scene.ui, width: WIDTH, height: HEIGHT });
      const page = panel.page;
      await panel.send({ type: 'snapshot', snapshot: scene.snapshot });
      await page.waitForSelector(`.detail[data-node="${scene.nodeId}"] pre.response-text.diff ins`);
      await settled(page);

      // Colours made with relative colour syntax compute as `color(srgb r g b)`: compared as rgb().
      const style = async (selector: string, prop: string): Promise<string> =>
        asRgb(await page.$eval(selector, (el, p) => getComputedStyle(el).getPropertyValue(p), prop));
      assert.equal(await style('body', 'background-color'), v('editor-background'));
      assert.equal(await style('.run-state', 'color'), v('foreground'));
      assert.equal(await style('.card', 'background-color'), v('editorWidget-background'));
      const button = await page.$eval('vscode-button.accept-best', (el) => getComputedStyle(el.shadowRoot!.querySelector('.base')!).backgroundColor);
      assert.equal(button, v('button-background'));
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
        // An agent's colour is all that tells its nodes apart here: at least a graphic's 3:1 (WCAG 1.4.11).
        for (let a = 0; a < 4; a++) {
          const ratio = contrast(await style(`.tree-legend span:nth-child(${a + 1}) .swatch`, 'background-color'), v('editorWidget-background'));
          assert.ok(ratio >= 3, `agent ${a}'s colour is ${ratio.toFixed(2)}:1 on the card`);
        }
      }
      await shoot(panel, `panel-${theme}`);

      await page.click('.tab-run');
      await page.waitForSelector('.agents-table');
      await page.waitForSelector('.run-chart circle.dot');
      assert.equal(await style('.agents-table tbody tr:nth-child(2) .swatch', 'background-color'), chart('orange'));
      if (theme.startsWith('high-contrast')) {
        assert.equal(await style('.share-track', 'background-color'), 'rgba(0, 0, 0, 0)', 'a share\'s track is an outline: filled with the border colour, an empty share looked full');
      }
      await shoot(panel, `panel-run-${theme}`);
      assert.deepEqual(await panel.problems(), []);
    });
  });
}

