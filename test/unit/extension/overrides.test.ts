import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputSchema } from '../../../src/core/config';
import { outputWithSettings } from '../../../src/extension/overrides';
import { configurationContribution, readSettings } from '../../../src/extension/settings';

const settingsWith = (autoAcceptAbove: unknown) => readSettings((key) => (key === 'autoAcceptAbove' ? autoAcceptAbove : undefined));
const fromFile = { ...outputSchema.parse({}), autoAcceptAbove: 0.9 };

test('auto-accept: a number setting wins, "off" turns the file\'s threshold off, null leaves it', () => {
  assert.equal(outputWithSettings(fromFile, settingsWith(0.5)).autoAcceptAbove, 0.5);
  assert.equal(outputWithSettings(fromFile, settingsWith(null)).autoAcceptAbove, 0.9);
  const off = outputWithSettings(fromFile, settingsWith('off'));
  assert.equal(off.autoAcceptAbove, undefined);
  assert.equal('autoAcceptAbove' in off, false);
  assert.equal(off.sft, fromFile.sft, 'the other output fields stay');
  // Anything else is invalid and falls back to the default (null: the file's value).
  assert.equal(settingsWith('never').autoAcceptAbove, null);
});

test('settings that choose files or run behaviour are per folder (resource scope) for multi-root workspaces', () => {
  const properties = configurationContribution().properties as Record<string, { scope?: string }>;
  const perFolder = Object.entries(properties).filter(([, p]) => p.scope === 'resource').map(([key]) => key.replace('toaStudio.', '')).sort();
  assert.deepEqual(perFolder, ['autoAcceptAbove', 'configPath', 'output.preference', 'output.sft', 'output.trace', 'search.budget', 'search.strategy', 'useSimulator']);
});
