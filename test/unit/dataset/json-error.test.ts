import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { propertyRuns } from '../property-runs';
import { jsonLineError } from '../../../src/core/dataset/json-error';

/** jsonLineError for the error JSON.parse throws on `text` (which must not be JSON). */
function lineError(text: string): { message: string; column?: number } {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonLineError(error, text);
  }
  throw new Error(`${JSON.stringify(text)} is JSON`);
}

/** V8's messages that say where nothing is: a token quoted with the whole text, or the text alone. */
const V8_NO_POSITION = /^(?:Unexpected token '[^]', )?(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;

describe('jsonLineError', () => {
  it("names the column of a token JSON has no place for, which V8 quotes with the line but does not place", () => {
    assert.deepEqual(lineError('{"prompt": x}'), { message: "Unexpected token 'x' at column 12", column: 12 });
    assert.deepEqual(lineError('id,prompt'), { message: "Unexpected token 'i' at column 1", column: 1 });
    assert.deepEqual(lineError('[1,]'), { message: "Unexpected token ']' at column 4", column: 4 });
    // V8 reads `tru` as the start of `true` and names the `}` it met: the column is that brace's.
    assert.deepEqual(lineError('{"a": tru}'), { message: "Unexpected token '}' at column 10", column: 10 });
    // Not the first "N" of the line, which is inside a string: the one where the line stops being JSON.
    assert.deepEqual(lineError('{"prompt": "No", "n": NaN}'), { message: "Unexpected token 'N' at column 23", column: 23 });
  });

  it('names the whole token JSON has no name for (V8 says only that the text is not JSON), and a character outside the BMP whole', () => {
    assert.deepEqual(lineError('NaN'), { message: "Unexpected token 'N' at column 1", column: 1 });
    assert.deepEqual(lineError('{"é": 😀}'), { message: "Unexpected token '😀' at column 7", column: 7 });
  });

  it('keeps the column of messages that give a position, counted from 1', () => {
    assert.deepEqual(lineError('{"a": 1}}'), { message: 'Unexpected non-whitespace character after JSON at column 9', column: 9 });
    assert.deepEqual(lineError('{"a": 1,}'), { message: 'Expected double-quoted property name at column 9', column: 9 });
  });

  it('places every invalid line inside it, at the character its message names', () => {
    const broken = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 24 }),
      // A JSON value with one character changed, dropped or added: mostly a problem mid-line.
      fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.string({ unit: 'binary', minLength: 0, maxLength: 2 })).map(([value, at, put]) => {
        const json = JSON.stringify(value) ?? 'null';
        const i = at % (json.length + 1);
        return json.slice(0, i) + put + json.slice(i + 1);
      }),
    );
    fc.assert(
      fc.property(broken, (text) => {
        let v8: string;
        try {
          JSON.parse(text);
          return;
        } catch (error) {
          v8 = (error as Error).message;
        }
        const { message, column } = lineError(text);
        if (column === undefined) return assert.ok(!V8_NO_POSITION.test(v8), `no column for ${JSON.stringify(text)}: ${v8}`);
        // One past the end is where a string or number the line cuts short would go on.
        assert.ok(column >= 1 && column <= text.length + 1, `column ${column} outside ${JSON.stringify(text)}`);
        assert.match(message, new RegExp(` (at|ends at) column ${column}( |$)`));
        const token = /^Unexpected token '(.+)' at column/su.exec(message)?.[1];
        if (token !== undefined) assert.equal(String.fromCodePoint(text.codePointAt(column - 1)!), token);
      }),
      propertyRuns(1_861, 400),
    );
  });
});
