import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMAND_CONTRIBUTIONS } from '../../../src/extension/commands';
import { manifestFields } from '../../../src/extension/manifest';
import { SETTINGS, SETTINGS_SECTION } from '../../../src/extension/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as Record<string, unknown>;

test('package.json holds exactly what the command and settings tables declare (run npm run sync-manifest)', () => {
  for (const [key, value] of Object.entries(manifestFields())) assert.deepEqual(pkg[key], value, `package.json "${key}" is stale`);
});

test('every command and setting is contributed once, with the declared defaults', () => {
  const contributes = pkg.contributes as { commands: { command: string }[]; configuration: { properties: Record<string, { default: unknown }> } };
  assert.deepEqual(contributes.commands.map((c) => c.command).sort(), COMMAND_CONTRIBUTIONS.map((c) => c.command).sort());
  for (const [key, declaration] of Object.entries(SETTINGS)) assert.deepEqual(contributes.configuration.properties[`${SETTINGS_SECTION}.${key}`]?.default, declaration.default, key);
});

test('untrusted workspaces are declared limited, and the settings that pick files are restricted', () => {
  const capabilities = pkg.capabilities as { untrustedWorkspaces: { supported: unknown; restrictedConfigurations: string[] } };
  assert.equal(capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(capabilities.untrustedWorkspaces.restrictedConfigurations.includes('toaStudio.configPath'));
  assert.ok(capabilities.untrustedWorkspaces.restrictedConfigurations.includes('toaStudio.output.sft'));
});
