import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonLine } from '../../../src/core/dataset/json-line';

test('a row is one line by Unicode line breaks too, and parses to the same value', () => {
  const row = { messages: [{ role: 'assistant', content: 'a\u2028b\u2029c\u0085d\ne "quoted" ü' }] };
  const line = jsonLine(row);
  // Python's str.splitlines() breaks at these (and at \n, which JSON escapes already).
  assert.doesNotMatch(line, /[\n\r\u0085\u2028\u2029]/);
  assert.ok(line.includes('\\u2028') && line.includes('\\u2029') && line.includes('\\u0085'));
  assert.deepEqual(JSON.parse(line), row);
  assert.equal(jsonLine({ a: 'plain' }), JSON.stringify({ a: 'plain' }));
});
