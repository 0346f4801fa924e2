import * as assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, inWorkspace } from '../helpers/workspace';

suite('Open Sample Prompts', () => {
  const sample = (): string => inWorkspace('toa-sample-prompts.jsonl');

  suiteSetup(activateExtension);

  suiteTeardown(async () => {
    await rm(sample(), { force: true });
    await closeAllEditors();
  });

  test('copies the demo prompts into the folder, opens them with two lines selected, and keeps an existing copy', async () => {
    const { extension } = await activateExtension();
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('toaStudio.openSamplePrompts');
    assert.equal(uri?.fsPath, sample());
    assert.equal(await readFile(sample(), 'utf8'), await readFile(join(extension.extensionPath, 'examples/demo/prompts.jsonl'), 'utf8'));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.fsPath, sample());
    assert.deepEqual([editor.selection.start.line, editor.selection.end.line, editor.selection.end.character], [0, 2, 0], 'the first two lines');

    await closeAllEditors();
    await writeFile(sample(), '{"prompt": "mine"}\n');
    await vscode.commands.executeCommand('toaStudio.openSamplePrompts');
    assert.equal(await readFile(sample(), 'utf8'), '{"prompt": "mine"}\n', 'an existing file is opened as it is');
  });
});
