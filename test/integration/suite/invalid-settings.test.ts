import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, extensionLog, resetSettings, setSettings, waitFor, workspaceUri } from '../helpers/workspace';

suite('invalid settings', () => {
  suiteSetup(activateExtension);
  suiteTeardown(() => resetSettings(['search.budget', 'simulator.latencyMs']));

  /** Reads the settings as the lenses do, at every refresh: the window's, then the folder's. */
  const read = async (): Promise<void> => {
    // The command asks for the lenses of an open document only.
    const document = await vscode.workspace.openTextDocument(workspaceUri('prompts.jsonl'));
    await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
  };

  test('an invalid value is told once however often the settings are read; another value, or the same after a fix, is told again', async () => {
    const from = (await extensionLog()).length;
    const times = async (line: string): Promise<number> => (await extensionLog()).slice(from).split(line).length - 1;
    const budget = (value: string): string => `Setting toaStudio.search.budget: ${value} is not valid (must be an integer of at least 1, or null); using the default (the configuration file's search.budget).`;
    const latency = 'Setting toaStudio.simulator.latencyMs: -5 is not valid (must be an integer of at least 0 and at most 10000); using the default (150).';

    await setSettings({ 'search.budget': 0 });
    for (let i = 0; i < 5; i++) await read();
    await waitFor('the budget in the log', async () => (await times(budget('0'))) > 0);
    // Told after every read of the budget above: a repeat of it would be in the log by then.
    await setSettings({ 'simulator.latencyMs': -5 });
    for (let i = 0; i < 3; i++) await read();
    await waitFor('the latency in the log', async () => (await times(latency)) > 0);
    assert.equal(await times(budget('0')), 1, 'the budget once, after five reads and more');

    await setSettings({ 'search.budget': 'abc' });
    await read();
    await waitFor('the new value in the log', async () => (await times(budget('"abc"'))) > 0);

    await setSettings({ 'search.budget': 5 });
    await read();
    await setSettings({ 'search.budget': 0 });
    await read();
    await waitFor('the value fixed and broken again in the log', async () => (await times(budget('0'))) === 2);
    assert.equal(await times(latency), 1, 'the latency once, whoever read it, with a folder or without');
    assert.equal(await times(budget('"abc"')), 1);
  });

  test("the Open Setting button's commands, with the query it passes, open the Settings editor in this VS Code", async () => {
    // The button cannot be clicked from a test (unit tests pick the command); this checks VS Code takes it.
    for (const command of ['workbench.action.openWorkspaceSettings', 'workbench.action.openSettings']) {
      await vscode.commands.executeCommand(command, { query: 'toaStudio.search.budget' });
      await waitFor(`${command} to show the Settings editor`, async () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
