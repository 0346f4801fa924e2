import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, clearOutputs, extensionLog, inWorkspace, openWithSelection, readJsonl, resetSettings, setSettings, sleep, waitFor, workspaceUri, writeConfig, type RunResultLike } from '../helpers/workspace';

/**
 * Runs with Workspace Trust on (HARNESS_WORKSPACE_TRUST=on) and the workspace never trusted:
 * Restricted Mode. A cloned repository's toa.config.json must not get requests sent to the
 * endpoints it names (they could collect API keys), however the run is started.
 */
suite('Restricted Mode', () => {
  const sim = simSuite({ sim: { seed: 11, recordHeaders: true }, config: { search: { budget: 4 } }, activate: false });

  test('the workspace is untrusted and the extension still activates (limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness kept Workspace Trust on');
    const { extension } = await activateExtension();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  test('synthesizeFile sends no request to the workspace endpoints and reports the refusal', async () => {
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
    assert.equal(result, undefined, 'the run does not start');
    await sleep(500);
    const counters = await sim.counters();
    assert.equal(counters.chatRequests, 0, 'chat requests to the workspace endpoints');
    assert.equal(counters.rewardRequests, 0, 'reward requests to the workspace endpoints');
    assert.equal(sim.headers.length, 0, 'no request of any kind reached the workspace endpoints');
    assert.equal(existsSync(inWorkspace('data')), false, 'no outputs written');
    // The refusal is reported: an error notification and the extension's log say why.
    const log = await waitFor('the refusal in the TOA Studio log', async () => {
      const text = await extensionLog();
      return /Restricted Mode/i.test(text) && text;
    }, 10_000);
    assert.match(log, /Restricted Mode: refused to send requests to the endpoints in toa\.config\.json/);
  });

  test('synthesizeSelection is refused the same way', async () => {
    await openWithSelection('prompts.jsonl', 2, 4);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(result, undefined);
    const result2 = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.compareStrategies');
    assert.equal(result2, undefined);
    await sleep(500);
    assert.equal(sim.headers.length, 0, 'requests to the workspace endpoints');
  });

  test('workspace settings cannot redirect outputs or the config file (restricted settings)', async () => {
    await setSettings({ configPath: 'elsewhere.json', 'output.sft': '../escaped-sft.jsonl' });
    try {
      const config = vscode.workspace.getConfiguration('toaStudio');
      assert.equal(config.get('configPath'), 'toa.config.json', 'workspace value of a restricted setting is ignored');
      assert.equal(config.get('output.sft'), '', 'the default (empty: the config file\'s path), not the workspace value');
    } finally {
      await resetSettings(['configPath', 'output.sft']);
    }
  });

  test('the built-in simulator still works: its endpoints are not the workspace\'s', async () => {
    // useSimulator is not a restricted setting; the user turns it on (user settings).
    await setSettings({ useSimulator: true, autoAcceptAbove: -1_000_000 }, vscode.ConfigurationTarget.Global);
    try {
      await openWithSelection('prompts.jsonl', 1, 2);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.ok(result, 'a run on the built-in simulator starts in Restricted Mode');
      assert.equal(result.totals.done, 2);
      assert.equal((await readJsonl(result.outputs.sft)).length, 2);
      assert.equal(sim.headers.length, 0, 'still no request to the workspace endpoints');
      const { api } = await activateExtension();
      assert.equal(api.snapshot().endpoints, 'simulator', 'the panel says the simulator answered');
    } finally {
      await resetSettings(['useSimulator', 'autoAcceptAbove'], vscode.ConfigurationTarget.Global);
    }
  });

  test('output paths in toa.config.json are not taken: the defaults stand, even on the simulator', async () => {
    const escaped = { sft: '../escaped/sft.jsonl', preference: '../escaped/preference.jsonl', trace: '../escaped/traces.jsonl' };
    await writeConfig(sim.url, { search: { budget: 4 }, output: escaped });
    await setSettings({ useSimulator: true, autoAcceptAbove: -1_000_000 }, vscode.ConfigurationTarget.Global);
    try {
      await openWithSelection('prompts.jsonl', 3, 3);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.ok(result);
      assert.deepEqual(result.outputs, { sft: inWorkspace('data', 'sft.jsonl'), preference: inWorkspace('data', 'preference.jsonl'), trace: inWorkspace('data', 'traces.jsonl') });
      assert.equal(existsSync(inWorkspace('..', 'escaped')), false, 'nothing written where the untrusted file pointed');
      assert.ok((await readJsonl(result.outputs.trace)).length >= 1);
    } finally {
      await resetSettings(['useSimulator', 'autoAcceptAbove'], vscode.ConfigurationTarget.Global);
      await writeConfig(sim.url, { search: { budget: 4 } });
    }
  });

  test("an output error names Restricted Mode's default as what chose the path, not the config file's field", async () => {
    await writeConfig(sim.url, { search: { budget: 4 }, output: { preference: 'pairs/preference.jsonl' } });
    await clearOutputs();
    mkdirSync(inWorkspace('data', 'preference.jsonl'), { recursive: true });
    await setSettings({ useSimulator: true, autoAcceptAbove: -1_000_000 }, vscode.ConfigurationTarget.Global);
    try {
      await openWithSelection('prompts.jsonl', 2, 2);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped');
      await waitFor('the output error in the log', async () => /data\/preference\.jsonl \(the default output\.preference, which Restricted Mode uses\): is a folder/.test(await extensionLog()), 30_000);
    } finally {
      await resetSettings(['useSimulator', 'autoAcceptAbove'], vscode.ConfigurationTarget.Global);
      await writeConfig(sim.url, { search: { budget: 4 } });
      await clearOutputs();
    }
  });

  test('an output the repository links elsewhere (data/traces.jsonl -> ~/.bashrc) is not written through', async () => {
    // A cloned repository ships the default output as a link; its prompts' ids would land in the
    // target (in a shell rc file, "$(...)" in a row runs), and the target's last line, with no
    // newline, would be cut as a crash's half row.
    const home = inWorkspace('..', 'home');
    const bashrc = `${home}/.bashrc`;
    mkdirSync(home, { recursive: true });
    writeFileSync(bashrc, 'export PATH=/usr/bin');
    await clearOutputs();
    mkdirSync(inWorkspace('data'), { recursive: true });
    symlinkSync(bashrc, inWorkspace('data', 'traces.jsonl'));
    await setSettings({ useSimulator: true, autoAcceptAbove: -1_000_000 }, vscode.ConfigurationTarget.Global);
    try {
      await openWithSelection('prompts.jsonl', 1, 1);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.equal(result, undefined, 'the run does not start');
      assert.equal(readFileSync(bashrc, 'utf8'), 'export PATH=/usr/bin', 'the link\'s target is untouched');
      assert.deepEqual([existsSync(inWorkspace('data', 'sft.jsonl')), existsSync(inWorkspace('data', 'traces.jsonl.lock'))], [false, false], 'nothing else written either');
      const log = await waitFor('the refusal in the log', async () => /symbolic link/.test(await extensionLog()) && (await extensionLog()), 10_000);
      assert.match(log, /cannot synthesize: the output data\/traces\.jsonl is a symbolic link, and this workspace is in Restricted Mode/);
    } finally {
      await resetSettings(['useSimulator', 'autoAcceptAbove'], vscode.ConfigurationTarget.Global);
      rmSync(inWorkspace('data'), { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
