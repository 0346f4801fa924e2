import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { clip, jsonExcerpt } from '../../../src/core/util/excerpt';
import { propertyRuns } from '../property-runs';

/** The excerpts as they were written first, flattening the whole input: the output to keep. */
function flatClip(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function flatJsonExcerpt(value: unknown, max = 120): string {
  return flatClip(JSON.stringify(value) ?? 'undefined', max);
}

/** Text rich in what clip treats apart: runs of (Unicode) white space, surrogates, the cut. */
const texty = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '\ud83d', '\ude00', '😀', 'é', '"', '\\', '\u0001'), maxLength: 400 });
const maxes = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 400 }), fc.constant(120), fc.constant(300));

test('clip says what flattening the whole text said, for any text and length', () => {
  fc.assert(fc.property(fc.oneof(texty, fc.string({ unit: 'binary', maxLength: 300 })), maxes, (text, max) => {
    assert.equal(clip(text, max), flatClip(text, max));
  }), propertyRuns(0x5eed, 2000));
});

test('a length that is not a whole number of characters is cut down to one, and below zero is zero', () => {
  // A computed length (a half of an odd maximum) once made the word pattern invalid, and clip quoted nothing.
  assert.equal(clip('abc def', 2.5), 'ab…');
  assert.equal(clip('abc def', 7.5), 'abc def');
  assert.equal(clip('abc def', -1), '…');
  assert.equal(clip('abc def', NaN), '…');
  assert.equal(jsonExcerpt({ a: 'bcd' }, 3.9), '{"a…');
});

test('jsonExcerpt says what flattening the whole JSON.stringify said, for JSON values and the odder values stringify takes', () => {
  const withText = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, texty, fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(tie('value')), fc.dictionary(texty, tie('value'))),
  })).value;
  const odd = fc.anything({ withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true });
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), withText, odd), maxes, (value, max) => {
    assert.equal(jsonExcerpt(value, max), flatJsonExcerpt(value, max));
  }), propertyRuns(0x15011, 2000));
});

test('jsonExcerpt calls toJSON with the key, as JSON.stringify does, and drops what it gives undefined', () => {
  const keys: string[] = [];
  const spy = { toJSON: (key: string) => (keys.push(key), key === 'gone' ? undefined : `at ${key}`) };
  const value = { a: spy, gone: spy, list: [spy, () => 1, Symbol('s')], when: new Date(0) };
  const said = jsonExcerpt(value, 500);
  assert.deepEqual(keys, ['a', 'gone', '0']);
  assert.equal(said, flatJsonExcerpt(value, 500));
  assert.equal(jsonExcerpt(spy), '"at "');
  assert.equal(jsonExcerpt(undefined), 'undefined');
});

test('jsonExcerpt still refuses what JSON.stringify refuses, where it reads it', () => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  assert.throws(() => jsonExcerpt(cycle), TypeError);
  assert.throws(() => jsonExcerpt({ n: 1n }), TypeError);
});

/**
 * The fastest of three calls, so that a collection of the test's own megabytes, or another
 * process on a shared machine, is not taken for the reading; a flatten takes 100 ms every time.
 */
function within(ms: number, name: string, run: () => string): void {
  const took = Math.min(...[0, 1, 2].map(() => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }));
  assert.ok(took < ms, `${name} took ${Math.round(took)} ms`);
}

test('clip and jsonExcerpt read only what they keep: 5 MB inputs take well under 50 ms', () => {
  const lines = 'ok\n'.repeat(5 * 1024 * 1024 / 3);
  const word = 'x'.repeat(5 * 1024 * 1024);
  const rows = Array.from({ length: 100_000 }, (_, at) => ({ id: at, text: 'some words and\nnewlines '.repeat(2) }));
  const long = { error: { message: 'a b\n'.repeat(5 * 1024 * 1024 / 4) } };
  // Warm up the code paths, so that what is timed is the reading.
  clip('a b', 1);
  jsonExcerpt({ a: ['b'] }, 1);
  within(50, 'clip of 5 MB of short lines', () => clip(lines, 300));
  within(50, 'clip of a 5 MB word', () => clip(word, 300));
  within(50, 'jsonExcerpt of 5 MB of rows', () => jsonExcerpt(rows, 300));
  within(50, 'jsonExcerpt of a 5 MB message', () => jsonExcerpt(long, 300));
  assert.equal(clip(lines, 10), flatClip(lines, 10));
  assert.equal(jsonExcerpt(rows, 300), flatJsonExcerpt(rows, 300));
});
