import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from '../helpers/workspace';

suite('activation', () => {
  test('the extension is found and activates', async () => {
    const { extension, api } = await activateExtension();
    assert.equal(extension.id, EXTENSION_ID);
    assert.equal(extension.isActive, true);
    assert.equal(typeof api?.snapshot, 'function', 'activate() returns { snapshot() }');
  });

  test('the workspace toa.config.json activates it at startup', () => {
    // The fixture has a toa.config.json (activation event workspaceContains:toa.config.json), so
    // the extension was active before any test called activate().
    const events = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.activationEvents as string[] | undefined;
    assert.ok(events?.includes('workspaceContains:toa.config.json'), `activationEvents: ${JSON.stringify(events)}`);
  });

  test('every command in contributes.commands is registered', async () => {
    const { extension } = await activateExtension();
    const contributed = ((extension.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    for (const id of ['toaStudio.synthesizeSelection', 'toaStudio.synthesizeFile', 'toaStudio.compareStrategies', 'toaStudio.cancelRun', 'toaStudio.setApiKey', 'toaStudio.clearApiKey']) {
      assert.ok(contributed.includes(id), `${id} is contributed`);
    }
  });

  test('every contributed setting has a default the configuration API returns', async () => {
    const { extension } = await activateExtension();
    const properties = (extension.packageJSON.contributes?.configuration?.properties ?? {}) as Record<string, unknown>;
    const keys = Object.keys(properties);
    for (const key of ['toaStudio.configPath', 'toaStudio.useSimulator', 'toaStudio.autoAcceptAbove', 'toaStudio.simulator.latencyMs', 'toaStudio.search.budget', 'toaStudio.search.strategy', 'toaStudio.output.sft']) {
      assert.ok(keys.includes(key), `${key} is contributed`);
    }
    const config = vscode.workspace.getConfiguration();
    for (const key of keys) assert.ok(config.inspect(key)?.defaultValue !== undefined || (properties[key] as { default?: unknown }).default === undefined, `${key} has its default`);
    assert.equal(config.get('toaStudio.configPath'), 'toa.config.json');
  });

  test('the snapshot API answers before any run', async () => {
    const { api } = await activateExtension();
    const snapshot = api.snapshot();
    assert.equal(snapshot.running, false);
    assert.ok(Array.isArray(snapshot.prompts));
    assert.equal(typeof snapshot.outputs.sft, 'string');
  });
});
