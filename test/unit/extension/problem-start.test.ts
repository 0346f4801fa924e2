import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputSchema, parseConfigText, ValidationError, type Problem } from '../../../src/core';
import { RowChecker } from '../../../src/core/dataset/row-checker';
import { problemStart } from '../../../src/extension/problem-start';

/** The problems of a ValidationError `check` throws. */
function problemsOf(check: () => unknown): Problem[] {
  try {
    check();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** The problems a row checker finds in `lines` (line 1 first). */
function rowProblems(lines: string[]): Problem[] {
  const checker = new RowChecker(inputSchema.parse({}), 'prompts.jsonl');
  lines.forEach((text, i) => checker.check(text, i + 1));
  return problemsOf(() => checker.throwIfProblems());
}

test("a JSONL row's invalid JSON is marked from the column its message names, on its line", () => {
  const [problem, ...more] = rowProblems(['{"prompt": "one"}', '{"prompt": "two"}', '{"prompt": "three"}', '{"prompt": "What is 2+2?", "id": 7,}']);
  assert.deepEqual(more, []);
  assert.match(problem!.message, /^invalid JSON \(Expected double-quoted property name at column 36\)/);
  assert.deepEqual(problemStart(problem!), { line: 3, character: 35 });
});

test('a row with a token JSON has no place for is marked at that token, which V8 names but does not place', () => {
  const [problem] = rowProblems(['{"prompt": "one"}', '{"prompt": "Is it NaN?", "score": NaN}']);
  assert.match(problem!.message, /^invalid JSON \(Unexpected token 'N' at column 35\)$/);
  assert.deepEqual(problemStart(problem!), { line: 1, character: 34 });
});

test("a row that a second file's byte-order mark starts keeps the mark in its column, as the editor shows it", () => {
  const [problem] = rowProblems(['{"prompt": "one"}', '\uFEFF{"prompt": "a" "b"}']);
  assert.match(problem!.message, /at column 16\)/, 'the message counts in the row parsed');
  assert.deepEqual(problemStart(problem!), { line: 1, character: 16 });
});

test('a row cut short (the end of the line comes before the value closes) is marked at its last character', () => {
  const [problem] = rowProblems(['{"prompt": "one"}', '[  ']);
  assert.match(problem!.message, /^invalid JSON \(Unexpected end of JSON input: the line ends at column 1 before the value does\)/);
  assert.deepEqual(problemStart(problem!), { line: 1, character: 0 });
  const [nested] = rowProblems(['{"prompt": {"a": ']);
  assert.deepEqual(problemStart(nested!), { line: 0, character: 15 });
});

test("toa.config.json's invalid JSON is marked from the line and column its message names", () => {
  const text = '{\n  "agents": [],\n  "reward": { "type": "vllm", "model": "m" "baseURL": "http://x" }\n}\n';
  const found = problemsOf(() => parseConfigText(text, 'toa.config.json'));
  assert.equal(found.length, 1);
  const column = text.split('\n')[2]!.indexOf('"baseURL"') + 1;
  assert.match(found[0]!.message, new RegExp(`at column ${column}$`));
  assert.deepEqual(problemStart(found[0]!), { line: 2, character: column - 1 });
});

test('a problem of no column starts at its line; one of no line at the file', () => {
  assert.deepEqual(problemStart({ line: 5 }), { line: 4, character: 0 });
  assert.deepEqual(problemStart({}), { line: 0, character: 0 });
});
