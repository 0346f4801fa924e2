import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lockOutputs } from '../../../src/core/dataset';
import { outputSchema } from '../../../src/core/config';
import { outputFields, outputWithSettings, unexpandedOutputSetting } from '../../../src/extension/overrides';
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

test('every setting but autoAcceptAbove (the panel sets it) is editable in the Settings editor, not only in settings.json', () => {
  const properties = configurationContribution().properties as Record<string, { type: string | string[]; enum?: unknown[]; enumItemLabels?: string[] }>;
  // VS Code draws a control for one type, a nullable number, or an enum; other unions get a link to settings.json.
  const editable = (p: (typeof properties)[string]): boolean =>
    typeof p.type === 'string' ||
    (Array.isArray(p.enum) && p.enumItemLabels?.length === p.enum.length) ||
    (p.type.length === 2 && p.type.includes('null') && (p.type.includes('integer') || p.type.includes('number')));
  const notEditable = Object.entries(properties).filter(([, p]) => !editable(p)).map(([key]) => key);
  assert.deepEqual(notEditable, ['toaStudio.autoAcceptAbove']);
});

test("an empty output path (the Settings editor's empty box) or null leaves the file's path; a path wins", () => {
  const withSft = (raw: unknown) => outputWithSettings(fromFile, readSettings((key) => (key === 'output.sft' ? raw : undefined)));
  assert.equal(withSft('').sft, fromFile.sft);
  assert.equal(withSft(null).sft, fromFile.sft);
  assert.equal(withSft(undefined).sft, fromFile.sft);
  assert.equal(withSft(' custom/train.jsonl ').sft, 'custom/train.jsonl');
});

test("an output's errors name the setting that set its path, else the config's field, or in Restricted Mode its default", () => {
  const settings = readSettings((key) => (key === 'output.sft' ? 'custom/train.jsonl' : key === 'output.trace' ? '' : undefined));
  assert.deepEqual(outputFields(settings, true), { sft: 'setting toaStudio.output.sft', preference: 'output.preference', trace: 'output.trace' });
  // Restricted Mode takes no path from the config file: the default stands in, unless the user's own setting chose one.
  assert.deepEqual(outputFields(settings, false), {
    sft: 'setting toaStudio.output.sft',
    preference: 'the default output.preference, which Restricted Mode uses',
    trace: 'the default output.trace, which Restricted Mode uses',
  });
});

test("in Restricted Mode, the lock's error names the default that placed the trace it sits beside", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'toa-restricted-lock-'));
  try {
    const trace = join(dir, 'traces.jsonl');
    await mkdir(`${trace}.lock`);
    const field = outputFields(readSettings(() => undefined), false).trace;
    assert.throws(() => lockOutputs(trace, 'run-1', field), (error: Error) => error.message === `${trace}.lock (the run's lock, beside the default output.trace, which Restricted Mode uses): is a folder`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an output setting holding ~ or an environment variable is refused before anything is written, naming the setting', () => {
  const withOutput = (key: 'output.sft' | 'output.trace', path: string) => readSettings((k) => (k === key ? path : undefined));
  assert.equal(
    unexpandedOutputSetting(withOutput('output.sft', '~/data/sft.jsonl')),
    'setting toaStudio.output.sft ("~/data/sft.jsonl") starts with ~, which is not expanded here: write the path out in full, or relative to the workspace folder',
  );
  assert.match(unexpandedOutputSetting(withOutput('output.trace', '$HOME/t.jsonl')) ?? '', /^setting toaStudio\.output\.trace \("\$HOME\/t\.jsonl"\) holds the environment variable \$HOME, /);
  assert.equal(unexpandedOutputSetting(withOutput('output.sft', 'data/notes~/sft.jsonl')), undefined);
  assert.equal(unexpandedOutputSetting(readSettings(() => undefined)), undefined, 'no output setting: the config file\'s paths, which its schema checks');
});
