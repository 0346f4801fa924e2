import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstLoneSurrogate, wellFormed } from '../../../src/core/util/surrogates';

test('the first lone surrogate half is found, and the halves of a pair are not', () => {
  assert.equal(firstLoneSurrogate('ok 😀 and é'), undefined);
  // A low half before a high one: two halves, no pair.
  const text = 'a 😀 b \uDE00 c \uD83D';
  for (let i = 0; i < 2; i++) assert.equal(firstLoneSurrogate(text), '\uDE00', 'the same on every call: the pattern keeps no state between them');
  assert.equal(wellFormed(text), 'a 😀 b \uFFFD c \uFFFD');
});
