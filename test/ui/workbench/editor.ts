import type { Page } from 'playwright-core';

/** Opens a workspace file from the Explorer (double-click pins it) and waits for its editor. */
export async function openFromExplorer(page: Page, name: string): Promise<void> {
  const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  await item.dblclick();
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
}

/**
 * Selects lines `from`..`to` (1-based) of the active text editor as a user does with the mouse:
 * click the first line's number in the gutter (selects the whole line), shift+click the last
 * one's. The selection then ends at column 1 of the line after `to` (or, when `to` is wrapped,
 * at the end of its first visual line). Waits until the status bar reports it.
 */
export async function selectLines(page: Page, from: number, to: number): Promise<void> {
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  const lineNumber = (n: number) => editor.locator('.margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^\\s*${n}\\s*$`) }).first();
  // Ends on line `to` only past its column 1 (a wrapped line's first visual line): at column 1 of
  // `to`, the selection is only the lines before it.
  const selected = page.locator('.statusbar-item', { hasText: new RegExp(`Ln (${to}, Col (?!1\\b)\\d+|${to + 1}, Col 1) \\(\\d+ selected\\)`) });
  // CodeLenses drawn as the file opens move the lines down between a click's aim and its press,
  // so a click can land on the line before: select again until the status bar reports the lines.
  for (let attempt = 1; ; attempt++) {
    await lineNumber(from).click();
    await lineNumber(to).click({ modifiers: ['Shift'] });
    try {
      return await selected.waitFor({ timeout: attempt < 3 ? 5_000 : 30_000 });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Clicks the CodeLens titled `title` above line `line` (1-based) of the active text editor: the
 * lowest such lens that starts above that line's number in the gutter. Waits for it to show.
 */
export async function clickCodeLens(page: Page, title: string, line: number, timeout = 30_000): Promise<void> {
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  const lineNumber = editor.locator('.margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
  const lenses = editor.locator('.codelens-decoration a', { hasText: title });
  const deadline = Date.now() + timeout;
  for (;;) {
    const top = (await lineNumber.boundingBox())?.y;
    const boxes = await Promise.all((await lenses.all()).map(async (lens) => ({ lens, y: (await lens.boundingBox())?.y })));
    const above = boxes.filter((b) => top !== undefined && b.y !== undefined && b.y < top).sort((a, b) => b.y! - a.y!)[0];
    // The lens just above the line, not one over the line before it (a lens sits within a line's height of it).
    if (above && top !== undefined && top - above.y! < 30) return above.lens.click();
    if (Date.now() > deadline) throw new Error(`no "${title}" lens above line ${line}`);
    await page.waitForTimeout(250);
  }
}
