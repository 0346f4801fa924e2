import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, fixturePrompts, openWithSelection, readJsonl, type ChatMessage, type RunResultLike } from '../helpers/workspace';

/**
 * The packaged extension as users get it: `vsce package` output installed with
 * `--install-extension` (HARNESS_VSIX), not the development folder.
 */
suite('packaged VSIX', () => {
  const sim = simSuite({ sim: { seed: 13 }, config: { search: { budget: 6 } }, settings: { autoAcceptAbove: -1_000_000 }, activate: false, clearOutputs: 'suite' });

  test('the extension under test is the installed VSIX, not the development folder', async () => {
    const { extension } = await activateExtension();
    const path = extension.extensionPath;
    assert.match(path, /\/extensions\/toa-studio\.toa-studio-\d+\.\d+\.\d+$/, `installed in the extensions folder: ${path}`);
    // The harness's empty carrier extension is the development extension that runs the tests.
    assert.ok(vscode.extensions.getExtension('toa-harness.test-carrier'), 'the tests run beside the installed extension');
    assert.equal(extension.isActive, true);
  });

  test('the package holds what the manifest points at', async () => {
    const { extension } = await activateExtension();
    const root = extension.extensionPath;
    type Media = { markdown?: string; image?: Record<string, string> };
    const manifest = extension.packageJSON as { main: string; contributes?: { jsonValidation?: Array<{ url: string }>; walkthroughs?: Array<{ steps: Array<{ media: Media }> }> } };
    const walkthroughMedia = (manifest.contributes?.walkthroughs ?? []).flatMap((w) => w.steps).flatMap(({ media }) => [media.markdown, ...Object.values(media.image ?? {})]);
    const needed = [
      manifest.main, 'dist/webview.js', 'dist/webview.css', 'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf', ...(manifest.contributes?.jsonValidation ?? []).map((v) => v.url),
      // The walkthrough's pages and pictures, and the prompts Open Sample Prompts copies.
      ...walkthroughMedia.filter((file): file is string => file !== undefined), 'examples/demo/prompts.jsonl',
    ];
    const missing = needed.filter((file) => !existsSync(join(root, file)));
    assert.deepEqual(missing, [], `files the manifest needs, missing from the VSIX (in ${relative('/', root)})`);
  });

  test('every contributed command is registered', async () => {
    const { extension } = await activateExtension();
    const contributed = ((extension.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  test('a selection run writes the outputs', async () => {
    const expected = (await fixturePrompts()).slice(1, 4);
    await openWithSelection('prompts.jsonl', 2, 4);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result, 'the run command resolves with the summary');
    assert.equal(result.cancelled, false);
    assert.equal(result.totals.done, 3);
    const sft = await readJsonl<{ messages: ChatMessage[] }>(result.outputs.sft);
    assert.equal(sft.length, 3);
    assert.deepEqual(sft.map((r) => JSON.stringify(r.messages.slice(0, -1))).sort(), expected.map((e) => JSON.stringify(e.messages)).sort());
    assert.ok(sft.every((r) => r.messages.at(-1)?.role === 'assistant'));
    assert.equal((await readJsonl(result.outputs.trace)).length, 3);
    assert.ok((await sim.counters()).chatRequests >= 3 * 6);
  });

  test('the panel opens', async () => {
    const { api } = await activateExtension();
    await vscode.commands.executeCommand('toaStudio.openPanel');
    assert.equal(api.snapshot().running, false);
  });
});
