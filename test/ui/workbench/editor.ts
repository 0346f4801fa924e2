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
  await lineNumber(from).click();
  await lineNumber(to).click({ modifiers: ['Shift'] });
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln (${to}, Col \\d+|${to + 1}, Col 1) \\(\\d+ selected\\)`) }).waitFor();
}
