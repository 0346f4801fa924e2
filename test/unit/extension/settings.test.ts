import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidSettingText, readSettings, SETTINGS, type SettingKey } from '../../../src/extension/settings';

/** What readSettings says of `raw` as the value of `key` (undefined: it takes the value). */
function said(key: SettingKey, raw: unknown): string | undefined {
  let text: string | undefined;
  readSettings((k) => (k === key ? raw : undefined), (k, value) => (text = invalidSettingText(k, value)));
  return text;
}

test('an invalid value is said with what a valid one is and what is used instead, for every kind of setting; a valid one is not', () => {
  const config = "using the default (the configuration file's";
  assert.equal(said('configPath', ''), 'Setting toaStudio.configPath: "" is not valid (must be a path, not empty); using the default ("toa.config.json").');
  assert.equal(said('useSimulator', 'yes'), 'Setting toaStudio.useSimulator: "yes" is not valid (must be true or false); using the default (false).');
  assert.equal(said('search.strategy', 'mcts'), `Setting toaStudio.search.strategy: "mcts" is not valid (must be one of "toa", "best-of-n", "prs", "ensemble", "sequential", "moa", or null); ${config} search.strategy).`);
  assert.equal(said('search.budget', 0), `Setting toaStudio.search.budget: 0 is not valid (must be an integer of at least 1, or null); ${config} search.budget).`);
  assert.equal(said('search.budget', 'abc'), `Setting toaStudio.search.budget: "abc" is not valid (must be an integer of at least 1, or null); ${config} search.budget).`);
  assert.equal(said('search.budget', 2.5), `Setting toaStudio.search.budget: 2.5 is not valid (must be an integer of at least 1, or null); ${config} search.budget).`);
  assert.equal(said('autoAcceptAbove', 'never'), `Setting toaStudio.autoAcceptAbove: "never" is not valid (must be a number, "off", or null); ${config} output.autoAcceptAbove).`);
  assert.equal(said('output.preference', 42), `Setting toaStudio.output.preference: 42 is not valid (must be a path, or empty); ${config} output.preference).`);
  assert.equal(said('simulator.latencyMs', -5), 'Setting toaStudio.simulator.latencyMs: -5 is not valid (must be an integer of at least 0 and at most 10000); using the default (150).');
  assert.equal(said('simulator.latencyMs', 20000), 'Setting toaStudio.simulator.latencyMs: 20000 is not valid (must be an integer of at least 0 and at most 10000); using the default (150).');
  assert.equal(said('codeLens', 'false'), 'Setting toaStudio.codeLens: "false" is not valid (must be true or false); using the default (true).');
  // Every setting refuses an object, and says so.
  for (const key of Object.keys(SETTINGS) as SettingKey[]) assert.match(said(key, { a: 1 }) ?? '', new RegExp(`^Setting toaStudio\\.${key.replace('.', '\\.')}: \\{"a":1\\} is not valid \\(must be `), key);
  // Valid values, and unset ones, are not.
  for (const [key, raw] of [['search.budget', 3], ['search.budget', null], ['autoAcceptAbove', 'off'], ['output.sft', ''], ['search.strategy', 'prs'], ['codeLens', undefined]] as const) assert.equal(said(key, raw), undefined, `${key}: ${raw}`);
});

test('what each setting is said to take agrees with its schema', () => {
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const { schema, expects }: { schema: Record<string, unknown>; expects: string } = SETTINGS[key];
    const types = [schema.type].flat();
    if (typeof schema.minimum === 'number') assert.match(expects, new RegExp(`at least ${schema.minimum}\\b`), key);
    if (typeof schema.maximum === 'number') assert.match(expects, new RegExp(`at most ${schema.maximum}\\b`), key);
    if (types.includes('integer')) assert.match(expects, /\ban integer\b/, key);
    if (types.includes('boolean')) assert.equal(expects, 'true or false', key);
    assert.equal(/, or null$/.test(expects), types.includes('null'), `${key}: null is valid when the schema says so`);
    for (const member of Array.isArray(schema.enum) ? schema.enum.filter((m) => m !== null) : []) assert.ok(expects.includes(JSON.stringify(member)), `${key}: ${member}`);
  }
});

test('the message names the folder whose settings hold the value, and quotes a long one cut short', () => {
  assert.equal(invalidSettingText('search.budget', 0, 'beta'), "Setting toaStudio.search.budget (folder beta): 0 is not valid (must be an integer of at least 1, or null); using the default (the configuration file's search.budget).");
  assert.match(invalidSettingText('output.sft', ['x'.repeat(500)]), /: \["x{58}… is not valid/);
});
