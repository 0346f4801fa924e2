import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fakeRunEvents } from './fixtures/fake-run';
import { focused, showSnapshot, snapshotOf, startSuite, until, type Suite } from './fixtures/host';
import { settled, type PanelPage } from './fixtures/panel-page';

/**
 * Keyboard focus in the panel: a control that goes away or disables itself once activated hands
 * the focus on to the next sensible control, never to the page (where a keyboard user would have
 * to start over from the top). Each control is activated from the keyboard, as such a user does.
 */

let suite: Suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

const events = fakeRunEvents({ prompts: 3, budget: 20, seed: 8 });

async function press(page: Page, selector: string, key = 'Enter'): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press(key);
  await settled(page);
}

async function finished(): Promise<PanelPage> {
  const panel = await suite.open();
  await showSnapshot(panel, snapshotOf(events));
  return panel;
}

describe('keyboard focus after a control goes away', () => {
  test('a prompt opened from the queue: the focus goes to the Prompt tab it opened', async () => {
    const panel = await finished();
    await press(panel.page, '.prompt-row[data-prompt="p2"]');
    assert.match(await focused(panel.page), /^vscode-tab-header\.tab-prompt/);
    assert.deepEqual(await panel.problems(), []);
  });

  test("a dismissed notice: the focus goes to the open tab's header", async () => {
    const panel = await finished();
    await panel.send({ type: 'notice', level: 'error', message: 'not saved: the disk is full' });
    await settled(panel.page);
    await press(panel.page, '.notice button[aria-label="Dismiss"]');
    assert.equal(await panel.page.locator('.notice').count(), 0);
    assert.match(await focused(panel.page), /^vscode-tab-header\.tab-run/);
  });

  test('Cancel run, gone once the run has ended: the focus goes to the open tab', async () => {
    const done = events.find((e) => e.type === 'run-done')!;
    const panel = await suite.open();
    await showSnapshot(panel, snapshotOf(until(events, (e) => e === done)));
    await press(panel.page, '.run-header vscode-button');
    await panel.send({ type: 'events', events: [done] });
    await settled(panel.page);
    assert.equal(await panel.page.locator('.run-header vscode-button').count(), 0, 'the run ended');
    assert.match(await focused(panel.page), /^vscode-tab-header\.tab-run/);
  });
});
