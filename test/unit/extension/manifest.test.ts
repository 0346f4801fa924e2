import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

test('the walkthrough links only contributed commands, and its media files exist', () => {
  const root = join(__dirname, '../../../');
  const contributes = pkg.contributes as { commands: { command: string }[]; walkthroughs: { steps: { description: string; media: { markdown?: string; image?: Record<string, string> }; completionEvents?: string[] }[] }[] };
  const commands = new Set(contributes.commands.map((c) => c.command));
  const steps = contributes.walkthroughs.flatMap((w) => w.steps);
  assert.ok(steps.length >= 4);
  for (const step of steps) {
    const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    assert.equal(linked.length, 1, `one command button per step: ${step.description}`);
    const events = (step.completionEvents ?? []).map((e) => e.replace(/^onCommand:/, ''));
    for (const id of [...linked, ...events]) assert.ok(commands.has(id), `${id} is a contributed command`);
    // VS Code's schema for a themed image asks for all four theme kinds.
    if (step.media.image) assert.deepEqual(Object.keys(step.media.image).sort(), ['dark', 'hc', 'hcLight', 'light'], 'an image for each theme kind');
    const files = [step.media.markdown, ...Object.values(step.media.image ?? {})].filter((f): f is string => f !== undefined);
    assert.ok(files.length > 0);
    for (const file of files) assert.ok(existsSync(join(root, file)), `${file} exists`);
  }
});

test('the walkthrough does not tell users of the extension to run npx toa: outside this repository npm fetches another package of that name', () => {
  const dir = join(__dirname, '../../../media/walkthrough');
  for (const file of readdirSync(dir)) assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /npx toa/, file);
});
