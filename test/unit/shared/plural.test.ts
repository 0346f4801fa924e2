import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, plural } from '../../../src/shared/plural';

test('a count takes the singular for one only, zero included in the plural', () => {
  assert.deepEqual([0, 1, 2].map((n) => count(n, 'prompt')), ['0 prompts', '1 prompt', '2 prompts']);
  assert.equal(count(1.5, 'play'), '1.5 plays');
});

test('an irregular plural is given, not guessed', () => {
  assert.deepEqual([1, 3].map((n) => count(n, 'retry', 'retries')), ['1 retry', '3 retries']);
  assert.deepEqual([1, 2].map((n) => count(n, 'class', 'classes')), ['1 class', '2 classes']);
  assert.deepEqual([1, 2].map((n) => plural(n, 'an interrupted run', 'interrupted runs')), ['an interrupted run', 'interrupted runs']);
});
