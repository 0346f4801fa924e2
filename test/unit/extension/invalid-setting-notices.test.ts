import { changeConfiguration, executedCommands, inspected, shownMessages, stubWorkspace, user } from './vscode-stub';
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
    assert.deepEqual(executedCommands, [['workbench.action.openSettings', { query: 'toaStudio.search.budget' }]], 'a user value: the User tab');

    changeConfiguration((section) => section === 'toaStudio.search.budget');
    notices.report(folder, [{ key: 'search.budget', raw: 0 }]);
    assert.equal(shownMessages.length, 2, 'told again after the setting changed');
  } finally {
    notices.dispose();
  }
});

test("Open Setting opens the tab that holds the refused value: the workspace's, or in a multi-root workspace the folder's", async () => {
  const notices = new InvalidSettingNotices({ warn: () => undefined } as unknown as vscode.LogOutputChannel);
  const folder = (name: string) => ({ name, index: 0, uri: { toString: () => `file:///${name}` } }) as unknown as vscode.WorkspaceFolder;
  user.answer = () => Promise.resolve('Open Setting');
  const opened = async (where: object, folders: number, raw: unknown): Promise<unknown[] | undefined> => {
    inspected.set('toaStudio.search.budget', where);
    stubWorkspace.workspaceFolders = Array.from({ length: folders }, (_, i) => folder(`f${i}`));
    notices.report(folder('f0'), [{ key: 'search.budget', raw }]);
    await new Promise((resolve) => setImmediate(resolve));
    return executedCommands.at(-1);
  };
  const query = { query: 'toaStudio.search.budget' };
  try {
    assert.deepEqual(await opened({ globalValue: 3, workspaceValue: 0, workspaceFolderValue: 0 }, 1, 1.5), ['workbench.action.openWorkspaceSettings', query], 'one folder open: its settings are the workspace tab');
    assert.deepEqual(await opened({ workspaceValue: 0 }, 2, 2.5), ['workbench.action.openWorkspaceSettings', query], "a .code-workspace file's value");
    assert.deepEqual(await opened({ globalValue: 9, workspaceValue: 4, workspaceFolderValue: 0 }, 2, 3.5), ['workbench.action.openFolderSettings', query], "a folder's own value, over the workspace's");
    assert.deepEqual(await opened({ globalValue: 0 }, 2, 4.5), ['workbench.action.openSettings', query]);
  } finally {
    notices.dispose();
    inspected.clear();
    stubWorkspace.workspaceFolders = [];
  }
});
