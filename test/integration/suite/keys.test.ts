import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startTestSim } from '../helpers/sim';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, extensionLog, filesContaining, openWithSelection, sleep, waitFor, workspaceDir, writeConfig, type RunResultLike } from '../helpers/workspace';

/** A key nobody could guess, so finding it anywhere means it leaked. */
const KEY = `sk-toa-integration-${randomBytes(12).toString('hex')}`;

suite('API keys stay in secret storage', () => {
  // Before the suite's own teardown (hooks run in the order given): the key goes while the sim is up.
  suiteTeardown(() => vscode.commands.executeCommand('toaStudio.clearApiKey', `${sim.url}/v1`));
  // Behind a proxy that records request headers: the key must reach the endpoint, and only it.
  const sim = simSuite({ sim: { seed: 5, recordHeaders: true }, config: { search: { budget: 4 } }, settings: { autoAcceptAbove: -1_000_000 }, clearOutputs: 'suite' });

  test('setApiKey(url, key) stores the key without prompting; runs send it to that origin', async () => {
    const stored = await vscode.commands.executeCommand('toaStudio.setApiKey', `${sim.url}/v1`, KEY);
    assert.notEqual(stored, false, 'setApiKey resolves (true) without asking anything');
    await openWithSelection('prompts.jsonl', 1, 2);
    sim.headers.length = 0;
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result, 'the run started (no key prompt blocked it)');
    assert.equal(result.totals.done, 2);
    assert.ok(sim.headers.length > 0, 'requests reached the endpoint');
    const auth = new Set(sim.headers.map((h) => h.authorization));
    assert.deepEqual([...auth], [`Bearer ${KEY}`], 'every request (chat and reward, same origin) carries the stored key');
  });

  test('the key is in no workspace file: settings, outputs, .vscode', async () => {
    const hits = await filesContaining(workspaceDir(), KEY);
    assert.deepEqual(hits, [], 'workspace files containing the key');
    // The run did write outputs and settings there, so the search looked at real files.
    const settings = await readFile(join(workspaceDir(), '.vscode', 'settings.json'), 'utf8');
    assert.match(settings, /toaStudio\.autoAcceptAbove/);
  });

  test('the key is in no user setting, log file or extension host console output', async () => {
    // Let the console stream reach the harness's log file.
    await sleep(500);
    const userData = process.env.HARNESS_USER_DATA_DIR;
    assert.ok(userData, 'the harness names the server user data folder');
    const user = await readFile(join(userData, 'User', 'settings.json'), 'utf8');
    assert.ok(!user.includes(KEY), 'user settings.json');
    assert.deepEqual(await filesContaining(join(userData, 'logs'), KEY), [], 'server and extension host log files containing the key');
    assert.match(await extensionLog(), /run over 2 prompt/, 'the extension log was found and records the run');
    const hostLog = process.env.TOA_HOST_LOG;
    assert.ok(hostLog, 'the harness copies the extension host console to TOA_HOST_LOG');
    // Positive control: what the extension host prints now reaches that file.
    const marker = `keys-test-marker-${randomBytes(4).toString('hex')}`;
    console.log(marker);
    const hostText = await waitFor('the marker in the host log', async () => {
      const text = await readFile(hostLog, 'utf8');
      return text.includes(marker) && text;
    }, 10_000);
    assert.ok(!hostText.includes(KEY), 'the extension host console shows the key');
  });

  test('the key never reaches the panel snapshot', async () => {
    const { api } = await activateExtension();
    assert.ok(!JSON.stringify(api.snapshot()).includes(KEY));
  });

  test('clearApiKey(url) removes it: the next run sends no key', async () => {
    const cleared = await vscode.commands.executeCommand('toaStudio.clearApiKey', `${sim.url}/v1`);
    assert.notEqual(cleared, false);
    await openWithSelection('prompts.jsonl', 3, 3);
    sim.headers.length = 0;
    // A loopback endpoint without a key is not prompted for one: the run goes ahead keyless.
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result);
    assert.ok(sim.headers.length > 0);
    assert.ok(sim.headers.every((h) => !h.authorization?.includes(KEY)), 'no request carries the cleared key');
  });

  test('a key is bound to its origin: another endpoint never receives it', async () => {
    const other = await startTestSim({ seed: 6, recordHeaders: true });
    try {
      await vscode.commands.executeCommand('toaStudio.setApiKey', `${sim.url}/v1`, KEY);
      await writeConfig(other.url, { search: { budget: 2 } });
      await openWithSelection('prompts.jsonl', 4, 4);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.ok(result);
      assert.ok(other.headers.length > 0, 'the run went to the other endpoint');
      assert.ok(other.headers.every((h) => !h.authorization?.includes(KEY)), 'the other origin got the key');
    } finally {
      await writeConfig(sim.url, { search: { budget: 4 } });
      await other.close();
    }
  });
});
