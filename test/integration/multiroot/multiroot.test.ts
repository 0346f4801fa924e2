import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startTestSim, type TestSim } from '../helpers/sim';
import { activateExtension, closeAllEditors, extensionLog, readJsonl, stopAnyRun, waitFor, type RunResultLike } from '../helpers/workspace';

/**
 * A workspace of two folders (alpha, beta: copies of the fixture, opened through a
 * .code-workspace file). Each folder has its own toa.config.json and its own settings: a run
 * over prompts of one folder must read that folder's, and write into that folder.
 */
suite('multi-root workspace', () => {
  let sim: TestSim;
  const budgets: Record<string, number> = { alpha: 3, beta: 5 };

  const folder = (name: string): vscode.WorkspaceFolder => {
    const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
    assert.ok(found, `workspace folder ${name}`);
    return found;
  };
  const inFolder = (name: string, ...parts: string[]): string => join(folder(name).uri.fsPath, ...parts);

  /** The fixture's config in a folder, its endpoints at the sim, with that folder's budget. */
  const writeFolderConfig = async (name: string): Promise<void> => {
    const file = inFolder(name, 'toa.config.json');
    const config = JSON.parse((await readFile(file, 'utf8')).split('http://127.0.0.1:9').join(sim.url)) as { search: Record<string, unknown> };
    config.search = { ...config.search, budget: budgets[name] };
    await writeFile(file, JSON.stringify(config, null, 2));
  };

  suiteSetup(async () => {
    sim = await startTestSim({ seed: 21 });
    await Promise.all(Object.keys(budgets).map(writeFolderConfig));
    // A resource-scoped setting of one folder only (its .vscode/settings.json).
    await vscode.workspace.getConfiguration('toaStudio', folder('beta').uri).update('output.sft', 'beta-out/sft.jsonl', vscode.ConfigurationTarget.WorkspaceFolder);
  });

  teardown(stopAnyRun);

  suiteTeardown(async () => {
    await closeAllEditors();
    await sim?.close();
  });

  test('the workspace has the two folders', () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['alpha', 'beta']);
  });

  test("a selection runs with its folder's config and settings, and writes into that folder", async () => {
    const { api } = await activateExtension();
    for (const name of ['beta', 'alpha']) {
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(inFolder(name, 'prompts.jsonl')));
      editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.ok(result, `${name}: the run resolves with its summary`);
      assert.equal(result.totals.done, 1, `${name}: one prompt done`);
      assert.equal(result.outputs.trace, inFolder(name, 'data', 'traces.jsonl'), `${name}: the trace goes into its folder`);
      const sft = name === 'beta' ? inFolder('beta', 'beta-out', 'sft.jsonl') : inFolder('alpha', 'data', 'sft.jsonl');
      assert.equal(result.outputs.sft, sft, `${name}: the SFT path of its own settings`);
      const [row] = await readJsonl<{ tree: { budget: number; plays: number } }>(result.outputs.trace);
      assert.equal(row?.tree.budget, budgets[name], `${name}: the budget of its own config`);
      assert.equal(api.snapshot().budget, budgets[name]);
    }
  });

  test("a run an error stops after it started is the last run: a command about it without a file acts on that run's folder", async () => {
    await activateExtension();
    const settings = (name: string): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('toaStudio', folder(name).uri);
    const runFirstLine = async (name: string): Promise<RunResultLike | undefined> => {
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(inFolder(name, 'prompts.jsonl')));
      editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
      return vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    };
    // beta's own useSimulator (its .vscode/settings.json): a command that acts on beta changes it there.
    await settings('beta').update('useSimulator', false, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      assert.ok(await runFirstLine('alpha'), 'alpha: the run finishes');
      // beta's run starts, then its first call to sim-medium is refused for good (401): the run stops.
      sim.sim.setFaults({ revokeKeyAfter: { 'sim-medium': 0 } });
      assert.equal(await runFirstLine('beta'), undefined, 'beta: the run stopped');
      assert.equal((await activateExtension()).api.snapshot().outcome, 'stopped', "the panel shows beta's run");
      sim.sim.setFaults({ revokeKeyAfter: {} });
      // No editor of either folder: the command goes by the last run (alpha's, before).
      await closeAllEditors();
      await vscode.commands.executeCommand('toaStudio.useSimulatedEndpoints');
      assert.equal(settings('beta').inspect('useSimulator')?.workspaceFolderValue, true, "beta's run was the last: its folder's setting is changed");
      assert.equal(settings('alpha').inspect('useSimulator')?.workspaceValue, undefined, "alpha's folder is left alone");
    } finally {
      sim.sim.setFaults({ revokeKeyAfter: {} });
      await settings('beta').update('useSimulator', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await settings('alpha').update('useSimulator', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Use Configured Endpoints with a file of one folder switches that folder, where its own setting decides', async () => {
    await activateExtension();
    const settings = (name: string): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('toaStudio', folder(name).uri);
    // beta keeps its own useSimulator (its .vscode/settings.json), which wins over the workspace's.
    await settings('beta').update('useSimulator', true, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      // The last run was in alpha (the test before): without the file, alpha's would be changed.
      await vscode.commands.executeCommand('toaStudio.useConfiguredEndpoints', vscode.Uri.file(inFolder('beta', 'toa.config.json')));
      assert.equal(settings('beta').inspect('useSimulator')?.workspaceFolderValue, false, "beta's own setting is the one turned off");
      assert.equal(settings('beta').get('useSimulator'), false);
      assert.equal(settings('alpha').inspect('useSimulator')?.workspaceFolderValue, undefined, 'alpha is left alone');
    } finally {
      await settings('beta').update('useSimulator', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });

  test("an invalid value in one folder's settings is told once, naming that folder", async () => {
    await activateExtension();
    const beta = vscode.workspace.getConfiguration('toaStudio', folder('beta').uri);
    const from = (await extensionLog()).length;
    const said = async (value: string): Promise<string[]> => (await extensionLog()).slice(from).split('\n').filter((line) => line.includes(`Setting toaStudio.search.budget (folder beta): ${value} is not valid`));
    const readLenses = async (...names: string[]): Promise<void> => {
      // The lenses read each folder's settings, and the window's, at every refresh.
      for (const name of names) {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(inFolder(name, 'prompts.jsonl')));
        await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
      }
    };
    await beta.update('search.budget', 0, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await readLenses('alpha', 'beta', 'beta', 'alpha');
      // Another value, told after those reads: any repeat of the first is in the log before it.
      await beta.update('search.budget', 'x', vscode.ConfigurationTarget.WorkspaceFolder);
      await readLenses('beta');
      await waitFor('the second value in the log', async () => (await said('"x"')).length > 0);
      const lines = await said('0');
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /: 0 is not valid \(must be an integer of at least 1, or null\); using the default \(the configuration file's search\.budget\)\.$/);
      assert.doesNotMatch((await extensionLog()).slice(from), /folder alpha/, "alpha's budget is valid");
    } finally {
      await beta.update('search.budget', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });
});
