import { changeConfiguration, executedCommands, shownMessages, user } from './vscode-stub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { InvalidSettingNotices } from '../../../src/extension/invalid-setting-notices';

test('the notice warns once per value, logs the same line, and its button opens the Settings editor at the setting', async () => {
  const logged: string[] = [];
  const notices = new InvalidSettingNotices({ warn: (line: string) => logged.push(line) } as unknown as vscode.LogOutputChannel);
  const folder = { name: 'ws', index: 0, uri: { toString: () => 'file:///ws' } } as unknown as vscode.WorkspaceFolder;
  const line = "Setting toaStudio.search.budget: 0 is not valid (must be an integer of at least 1, or null); using the default (the configuration file's search.budget).";
  user.answer = () => Promise.resolve('Open Setting');
  try {
    for (let i = 0; i < 3; i++) notices.report(folder, [{ key: 'search.budget', raw: 0 }]);
    assert.deepEqual(shownMessages, [`TOA Studio: ${line}`]);
    assert.deepEqual(logged, [line]);
    await new Promise((resolve) => setImmediate(resolve)); // the answer, and what it runs
    assert.deepEqual(executedCommands, [['workbench.action.openSettings', 'toaStudio.search.budget']]);

    changeConfiguration((section) => section === 'toaStudio.search.budget');
    notices.report(folder, [{ key: 'search.budget', raw: 0 }]);
    assert.equal(shownMessages.length, 2, 'told again after the setting changed');
  } finally {
    notices.dispose();
  }
});
