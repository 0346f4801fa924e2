import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { remoteUri, repoRoot } from '../harness';
import { diagnose } from './workbench/diagnose';
import { runCommand } from './workbench/palette';
import { startSession, type Session } from './workbench/session';

/**
 * TOA Studio in a window with no folder open, as VS Code starts for someone who has not opened
 * one yet: the commands that need a folder say so and offer to open one.
 */

const START_TIMEOUT = 180_000;
const TEST_TIMEOUT = 120_000;

describe('TOA Studio with no folder open', { timeout: 400_000 }, () => {
  let session: Session | undefined;

  before(async () => {
    session = await startSession({ files: {} });
    const { page, server } = session;
    // An empty window (ew), still with this repository as the extension under development.
    const query = new URLSearchParams({ ew: 'true', payload: JSON.stringify([['extensionDevelopmentPath', remoteUri(server, repoRoot)]]) });
    await page.goto(`${server.url}/?${query.toString()}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
  }, { timeout: START_TIMEOUT });

  after(async () => {
    await session?.close();
  }, { timeout: 60_000 });

  test('Synthesize Selection and Create Configuration File say to open a folder, with the button that opens one', { timeout: TEST_TIMEOUT }, async () => {
    await diagnose(() => session, 'no-folder', async () => {
      const { page } = session!;
      await runCommand(page, 'File: New Untitled Text File');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
      await page.keyboard.type('Write a limerick about tree search.');
      await page.keyboard.press('Control+A');
      await runCommand(page, 'TOA Studio: Synthesize Selection');
      await runCommand(page, 'TOA Studio: Create Configuration File...');
      // Read in the notification center: a toast may have gone by the time it is looked at.
      await runCommand(page, 'Notifications: Show Notifications');
      for (const why of ['runs take their configuration from it and write their outputs into it', 'the configuration file lives in a workspace folder']) {
        const item = page.locator('.notifications-center .notification-list-item', { hasText: `TOA Studio: open a folder first: ${why}.` });
        await item.waitFor({ state: 'visible', timeout: 30_000 });
        assert.equal(await item.locator('.monaco-button', { hasText: 'Open Folder...' }).count(), 1, `an Open Folder... button: ${why}`);
      }
    });
  });
});
