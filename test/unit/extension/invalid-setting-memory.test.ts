import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidSettingMemory } from '../../../src/extension/invalid-setting-memory';

test('each invalid value is told once, however often the settings are read; another value is told again', () => {
  const memory = new InvalidSettingMemory();
  const budget = (raw: unknown) => [{ key: 'search.budget' as const, raw }];
  assert.deepEqual(memory.untold('file:///a', budget(0)), [{ key: 'search.budget', raw: 0, folder: 'file:///a' }]);
  for (let i = 0; i < 5; i++) assert.deepEqual(memory.untold('file:///a', budget(0)), []);
  assert.deepEqual(memory.untold('file:///a', budget('abc')), [{ key: 'search.budget', raw: 'abc', folder: 'file:///a' }]);
  assert.deepEqual(memory.untold('file:///a', budget(0)), [{ key: 'search.budget', raw: 0, folder: 'file:///a' }], 'the value before, set again');
  // "0" is not 0.
  assert.equal(memory.untold('file:///a', budget('0')).length, 1);
});

test('a value fixed and then broken again is told again, once the change is heard', () => {
  const memory = new InvalidSettingMemory();
  const latency = [{ key: 'simulator.latencyMs' as const, raw: -5 }];
  assert.equal(memory.untold(undefined, latency).length, 1);
  memory.forget((key) => key === 'search.budget');
  assert.deepEqual(memory.untold(undefined, latency), [], 'another setting changed');
  memory.forget((key) => key === 'simulator.latencyMs');
  assert.equal(memory.untold(undefined, latency).length, 1);
});

test("a per-folder setting is told once per folder, and only from a folder's read; a window setting once in all", () => {
  const memory = new InvalidSettingMemory();
  const invalid = [{ key: 'search.budget' as const, raw: 0 }, { key: 'codeLens' as const, raw: 'no' }];
  assert.deepEqual(memory.untold(undefined, invalid), [{ key: 'codeLens', raw: 'no' }], 'without a folder, the budget is the workspace value, which the folders report where it applies');
  assert.deepEqual(memory.untold('file:///a', invalid), [{ key: 'search.budget', raw: 0, folder: 'file:///a' }]);
  assert.deepEqual(memory.untold('file:///b', invalid), [{ key: 'search.budget', raw: 0, folder: 'file:///b' }]);
  assert.deepEqual(memory.untold('file:///a', invalid), []);
  // The change in folder b alone: a's value is still the one told.
  memory.forget((key, folder) => key === 'search.budget' && folder === 'file:///b');
  assert.deepEqual(memory.untold('file:///a', invalid), []);
  assert.deepEqual(memory.untold('file:///b', invalid), [{ key: 'search.budget', raw: 0, folder: 'file:///b' }]);
});
