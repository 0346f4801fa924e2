import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { propertyRuns } from '../property-runs';
import { tempDir } from './temp-dir';
import type { PromptRow } from '../../../src/core/chat';
import { ValidationError, type Problem } from '../../../src/core/config/errors';
import type { InputConfig } from '../../../src/core/config/schema';
import { parsePromptLines, readPromptRows } from '../../../src/core/dataset/reader';

/**
 * Prompt rows over arbitrary lines: invalid JSON, byte-order marks, CRLF, long lines, any JSON
 * value, fields of the wrong type, and field names a config may pick (prototype names too). The
 * reader never throws anything but a ValidationError, and each problem names its line (within
 * the text) and a field; rows that are fine come back with their line.
 */

const RUNS = propertyRuns(2_718, 150);
const inDir = tempDir('toa-rows-props-');
let files = 0;

const message = fc.record({ role: fc.oneof(fc.constantFrom('system', 'user', 'assistant'), fc.jsonValue()), content: fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue()) }, { requiredKeys: [] });
/** Field values as datasets get them wrong: wrong types, empty, blank, chat arrays good and bad. */
const fieldValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', '  ', null, 0, -1.5, true, [], {}), fc.array(message, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }));
const fieldName = fc.oneof(fc.constantFrom('prompt', 'messages', 'instruction', 'input', 'id', 'reference', 'answer', 'question'), fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'), fc.string({ maxLength: 6 }));
const rowObject = fc.dictionary(fieldName, fieldValue, { maxKeys: 4 });
const line = fc.oneof(
  { weight: 6, arbitrary: rowObject.map((row) => JSON.stringify(row)) },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: rowObject.map((row) => `\uFEFF${JSON.stringify(row)}\r`) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '{', '{"prompt": "cut', '[1,', '{"prompt": "a"} trailing', '\uFEFF', `{"prompt": "${'x'.repeat(100_000)}"}`) },
);
const text = fc.array(line, { maxLength: 8 }).map((lines) => lines.map((l) => l.replaceAll('\n', ' ')));
const inputConfig = fc.record(
  { promptField: fieldName, idField: fieldName, referenceField: fieldName },
  { requiredKeys: ['idField', 'referenceField'] },
) as fc.Arbitrary<InputConfig>;

function checkOutcome(read: () => PromptRow[], first: number, count: number, file?: string): void {
  let rows: PromptRow[];
  try {
    rows = read();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `not a ValidationError: ${(error as Error)?.stack ?? String(error)}`);
    for (const p of error.problems) checkProblem(p, first, count, file);
    return;
  }
  for (const row of rows) {
    assert.ok(row.source?.line !== undefined && row.source.line >= first && row.source.line < first + count);
    assert.ok(row.messages.length > 0 && row.messages.at(-1)!.role === 'user');
    assert.equal(typeof row.id, 'string');
  }
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'ids are unique');
}

function checkProblem(p: Problem, first: number, count: number, file?: string): void {
  assert.equal(p.file, file);
  assert.ok(p.line !== undefined && p.line >= first && p.line < first + count, `line ${p.line} outside ${first}..${first + count - 1}`);
  assert.equal(typeof p.path, 'string');
  assert.ok(p.message.length > 0 && !/\[object Object\]|undefined$/.test(p.message), `line ${p.line}: ${p.path}: ${p.message}`);
}

describe('prompt rows: properties', () => {
  it('parsePromptLines: rows or problems naming line and field, never another error', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 10_000 }), inputConfig, (lines, first, input) => {
        checkOutcome(() => parsePromptLines(lines.join(lines.length % 2 ? '\r\n' : '\n'), input, { file: 'in.jsonl', firstLine: first }), first, Math.max(1, lines.length), 'in.jsonl');
      }),
      RUNS,
    );
  });

  it('readPromptRows: a file of such lines gives the same rows or problems', async () => {
    await fc.assert(
      fc.asyncProperty(text, inputConfig, async (lines, input) => {
        const path = inDir(`rows${files++}.jsonl`);
        await writeFile(path, lines.join('\n'));
        const fromText = (): PromptRow[] => parsePromptLines(lines.join('\n'), input, { file: 'in.jsonl' });
        let expected: PromptRow[] | ValidationError;
        try {
          expected = fromText();
        } catch (error) {
          expected = error as ValidationError;
        }
        const rows: PromptRow[] = [];
        try {
          for await (const row of readPromptRows(path, input, { displayName: 'in.jsonl' })) rows.push(row);
        } catch (error) {
          assert.ok(error instanceof ValidationError, `not a ValidationError: ${(error as Error)?.stack ?? String(error)}`);
          assert.ok(expected instanceof ValidationError, `the file failed, the text did not: ${error.message}`);
          assert.deepEqual(error.problems, expected.problems);
          return;
        }
        assert.deepEqual(rows, expected);
      }),
      RUNS,
    );
  });
});
