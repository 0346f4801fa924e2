import type { Page } from 'playwright-core';
import { runCommand } from './palette';

/** Workbench layout for screenshots: which parts show and how wide the editor groups are. */

/** Closes the primary and secondary side bars (Explorer, Chat) if they show. */
export async function closeSideBars(page: Page, which: { primary?: boolean; secondary?: boolean } = { primary: true, secondary: true }): Promise<void> {
  if (which.secondary && (await page.locator('.part.auxiliarybar').isVisible())) {
    await runCommand(page, 'View: Close Secondary Side Bar');
    await page.locator('.part.auxiliarybar').waitFor({ state: 'hidden' });
  }
  if (which.primary && (await page.locator('.part.sidebar').isVisible())) {
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
  }
}

/** Dismisses notification toasts, if any. */
export async function clearNotifications(page: Page): Promise<void> {
  if (await page.locator('.notifications-toasts .notification-toast').first().isVisible()) {
    await runCommand(page, 'Notifications: Clear All Notifications');
  }
}

/**
 * Drags the sash between the first two editor groups so the first is about `width` pixels
 * wide (VS Code keeps each group at least 220 px).
 */
export async function setFirstGroupWidth(page: Page, width: number): Promise<void> {
  const groups = page.locator('.editor-group-container');
  if ((await groups.count()) < 2) return;
  const first = await groups.first().boundingBox();
  const sash = page.locator('.editor .monaco-grid-view .monaco-sash.vertical').filter({ visible: true }).first();
  const box = await sash.boundingBox();
  if (!first || !box) return;
  const y = box.y + box.height / 2;
  const from = box.x + box.width / 2;
  const to = first.x + width;
  await page.mouse.move(from, y);
  await page.mouse.down();
  await page.mouse.move(from + Math.sign(to - from) * 10, y, { steps: 2 });
  await page.mouse.move(to, y, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction(([w]) => {
    const g = document.querySelector('.editor-group-container');
    return !!g && Math.abs(g.getBoundingClientRect().width - w) < 24;
  }, [Math.max(220, width)] as const, { timeout: 5000 });
}

/** Parks the pointer on the empty end of the last editor group's tab bar: no hover, no scrollbar shows. */
export async function parkPointer(page: Page): Promise<void> {
  const bar = await page.locator('.editor-group-container .title').last().boundingBox();
  if (bar) await page.mouse.move(bar.x + bar.width * 0.6, bar.y + bar.height / 2);
  // Editor scrollbars shown by the pointer passing over fade out after a moment.
  await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .scrollbar.visible').length === 0, undefined, { timeout: 5000 }).catch(() => undefined);
}
