import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance } from '../../../src/core/util/edit-distance';

test('an insert, a removal, a replacement and a swap of neighbours are one edit each', () => {
  assert.equal(editDistance('max_token', 'max_tokens'), 1);
  assert.equal(editDistance('max_tokens', 'max_token'), 1);
  assert.equal(editDistance('temprature', 'temperature'), 1);
  assert.equal(editDistance('budgat', 'budget'), 1);
  assert.equal(editDistance('modle', 'model'), 1);
  assert.equal(editDistance('mdoel', 'model'), 1);
});

test('edits add up; equal texts need none, an empty one needs the other whole', () => {
  assert.equal(editDistance('seed', 'seed'), 0);
  assert.equal(editDistance('', 'topk'), 4);
  assert.equal(editDistance('topk', ''), 4);
  assert.equal(editDistance('min', 'max'), 2);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('baseUrl', 'baseURL'), 2, 'case counts: the caller compares without it first');
});
