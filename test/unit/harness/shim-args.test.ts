import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTimeoutFrom } from '../../harness/shim-args';

test('HARNESS_TIMEOUT_MS sets the whole run limit; unset or blank leaves the default', () => {
  assert.equal(runTimeoutFrom({ HARNESS_TIMEOUT_MS: '1800000' }), 1_800_000);
  assert.equal(runTimeoutFrom({ HARNESS_TIMEOUT_MS: ' 60000 ' }), 60_000);
  assert.equal(runTimeoutFrom({}), undefined);
  assert.equal(runTimeoutFrom({ HARNESS_TIMEOUT_MS: '  ' }), undefined);
});

test('a HARNESS_TIMEOUT_MS that is no positive whole number is refused by name', () => {
  for (const given of ['0', '-5', '1.5', '15m', 'Infinity']) {
    assert.throws(() => runTimeoutFrom({ HARNESS_TIMEOUT_MS: given }), new RegExp(`^Error: HARNESS_TIMEOUT_MS: must be a positive whole number of milliseconds, got "${given}"$`));
  }
});
