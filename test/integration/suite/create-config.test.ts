import * as assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { parseConfigText } from '../../../src/core/config';
import { activateExtension, closeAllEditors, inWorkspace, resetSettings, setSettings } from '../helpers/workspace';

suite('Create Configuration File', () => {
  const path = 'starter/toa.config.json';

  suiteSetup(async () => {
    await activateExtension();
    // Another configuration file than the fixture's, so the other suites keep theirs.
    await setSettings({ configPath: path });
  });

  suiteTeardown(async () => {
    await resetSettings(['configPath']);
    await rm(inWorkspace('starter'), { recursive: true, force: true });
    await closeAllEditors();
  });

  test('writes a starter configuration, opens it, and never replaces an existing one', async () => {
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('toaStudio.createConfig', ['vllm', 'openai']);
    assert.ok(created, 'the command resolves with the file');
    assert.equal(created.fsPath, inWorkspace(path));
    const text = await readFile(created.fsPath, 'utf8');
    assert.match(text, /"name":"vllm"/);
    assert.match(text, /"name":"openai"/);
    assert.match(text, /"type":"judge"/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, created.fsPath, 'the new file is open');
    // Opened as JSON, its comments would each show as an error in the Problems view.
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'jsonc', 'the file is JSON with comments');

    assert.deepEqual(parseConfigText(text, path).agents.map((a) => a.name), ['vllm', 'openai'], 'a valid configuration');

    await closeAllEditors();
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('toaStudio.createConfig', ['ollama']);
    assert.equal(again?.fsPath, created.fsPath);
    assert.equal(await readFile(created.fsPath, 'utf8'), text, 'an existing file is opened, not replaced');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, created.fsPath);
  });
});
