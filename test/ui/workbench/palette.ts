import type { Page } from 'playwright-core';

/**
 * Runs a command from the command palette by its exact title ("Category: Title"). It waits for
 * the row with exactly that label and clicks it: Enter would run whatever fuzzy match is on top.
 * A command that opens a quick pick of its own (e.g. the colour theme picker) leaves the widget
 * open: pass `opensPicker` and continue with `pickItem`.
 */
export async function runCommand(page: Page, title: string, options: { opensPicker?: boolean; timeout?: number } = {}): Promise<void> {
  const timeout = options.timeout ?? 15_000;
  const widget = page.locator('.quick-input-widget');
  await openPaletteAt(page, title, timeout);
  if (options.opensPicker) await page.waitForFunction((typed) => (document.querySelector('.quick-input-widget input.input') as HTMLInputElement | null)?.value !== typed, `>${title}`, { timeout });
  else await widget.waitFor({ state: 'hidden', timeout });
}

/** Tries at opening the palette: a command missing from one opening may be listed at the next. */
const PALETTE_TRIES = 3;

/**
 * Opens the palette, types the command and clicks its row. The palette lists the commands
 * known as it opens: on a loaded machine the extension host can register an extension's
 * commands after the first opening, whose list then never shows them. So a row not shown
 * within `timeout` is looked for again in a new opening, up to PALETTE_TRIES times.
 */
async function openPaletteAt(page: Page, title: string, timeout: number): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  for (let tried = 1; ; tried++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout });
    // F1 opens the palette with '>' (commands mode); fill() replaces the whole value.
    await input.fill(`>${title}`);
    try {
      return await clickRow(page, title, timeout);
    } catch (error) {
      if (tried >= PALETTE_TRIES) throw error;
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout });
    }
  }
}

/** Picks the row labelled exactly `label` in the open quick pick and waits for it to close. */
export async function pickItem(page: Page, label: string, timeout = 15_000): Promise<void> {
  await clickRow(page, label, timeout);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

async function clickRow(page: Page, label: string, timeout: number): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
  });
  await row.first().waitFor({ state: 'visible', timeout });
  await row.first().click();
}

/**
 * Switches the colour theme through "Preferences: Color Theme", as a user does, and waits for the
 * workbench to repaint in it. `theme` is the setting value, e.g. 'Default Dark Modern' (the
 * picker shows 'Dark Modern').
 */
export async function setColorTheme(page: Page, theme: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme', { opensPicker: true });
  await pickItem(page, theme.replace(/^Default /, ''));
  const dark = /dark|black/i.test(theme);
  await page.waitForFunction((isDark) => {
    const wb = document.querySelector('.monaco-workbench');
    return !!wb && wb.classList.contains('vs-dark') === isDark && wb.classList.contains('vs') !== isDark;
  }, dark, { timeout: 20_000 });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
