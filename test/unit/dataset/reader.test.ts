import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from './temp-dir';
import type { PromptRow } from '../../../src/core/chat';
import { ValidationError } from '../../../src/core/config/errors';
import type { InputConfig } from '../../../src/core/config/schema';
import { countRows, parseLinesInSlices, parsePromptLines, readPromptRows, readRowsInSlices, type LineSource } from '../../../src/core/dataset/reader';
import { MAX_PROBLEMS, requireReferences } from '../../../src/core/dataset/row-checker';

const input: InputConfig = { idField: 'id', referenceField: 'reference' };
const lines = (...values: unknown[]): string => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ValidationError');
}

async function collect(rows: AsyncIterable<PromptRow>): Promise<PromptRow[]> {
  const out: PromptRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('parsePromptLines: input shapes', () => {
  it('reads prompt, messages, Alpaca instruction (+ input) rows', () => {
    const rows = parsePromptLines(
      lines(
        { prompt: 'Say hi' },
        { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Why?' }] },
        { instruction: 'Translate to French', input: 'cat' },
        { instruction: 'Name a colour', input: '' },
      ),
      input,
    );
    assert.deepEqual(
      rows.map((r) => r.messages),
      [
        [{ role: 'user', content: 'Say hi' }],
        [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Why?' }],
        [{ role: 'user', content: 'Translate to French\n\ncat' }],
        [{ role: 'user', content: 'Name a colour' }],
      ],
    );
  });

  it("keeps a message's name (who speaks, where a conversation has several users or assistants); null is none, anything but a non-empty string is refused by its path", () => {
    const named = [
      { role: 'system', content: 'Two users ask.' },
      { role: 'user', content: 'Which is larger, 2 or 3?', name: 'ada' },
      { role: 'assistant', content: '3.', name: 'tutor' },
      { role: 'user', content: 'And 3 or 4?', name: 'bob' },
    ];
    const [row, plain] = parsePromptLines(lines({ messages: named }, { prompt: [{ role: 'user', content: 'Hi', name: null }] }), input);
    assert.deepEqual(row!.messages, named);
    assert.deepEqual(plain!.messages, [{ role: 'user', content: 'Hi' }]);
    const bad = errorOf(() => parsePromptLines(lines({ messages: [{ role: 'user', content: 'Hi', name: 7 }] }, { messages: [{ role: 'user', content: 'Hi', name: ' ' }] }), input, { file: 'a.jsonl' }));
    assert.deepEqual(bad.message.split('\n'), ['a.jsonl:1: messages[0].name: must be a string, got number 7', 'a.jsonl:2: messages[0].name: must not be empty']);
  });

  it("reads LLaMA-Factory's Alpaca columns: system the system message, history the turns before (blank ones are none)", () => {
    const rows = parsePromptLines(
      lines(
        { instruction: 'And in German?', input: 'cat', system: 'You translate.', history: [['Translate to French', 'chat'], ['And to Spanish?', 'gato']], output: 'Katze' },
        { instruction: 'Name a colour', input: '', system: '', history: [] },
      ),
      input,
    );
    assert.deepEqual(
      rows.map((r) => r.messages),
      [
        [
          { role: 'system', content: 'You translate.' },
          { role: 'user', content: 'Translate to French' },
          { role: 'assistant', content: 'chat' },
          { role: 'user', content: 'And to Spanish?' },
          { role: 'assistant', content: 'gato' },
          { role: 'user', content: 'And in German?\n\ncat' },
        ],
        [{ role: 'user', content: 'Name a colour' }],
      ],
    );
  });

  it('drops an empty system message, as exports write "no system prompt"', () => {
    const rows = parsePromptLines(
      lines(
        { messages: [{ role: 'system', content: '' }, { role: 'user', content: 'Why?' }] },
        { prompt: [{ role: 'system', content: ' \n' }, { role: 'user', content: 'Hello' }] },
        { instruction: 'Name a colour', system: '' },
      ),
      input,
    );
    assert.deepEqual(
      rows.map((r) => r.messages),
      [[{ role: 'user', content: 'Why?' }], [{ role: 'user', content: 'Hello' }], [{ role: 'user', content: 'Name a colour' }]],
    );
    const alone = errorOf(() => parsePromptLines(lines({ messages: [{ role: 'system', content: '' }] }), input));
    assert.equal(alone.message, "line 1: messages[0].role: the last message must be the user's, got system");
  });

  it('accepts a TRL-style prompt given as a chat array', () => {
    const [row] = parsePromptLines(lines({ prompt: [{ role: 'user', content: 'Hello' }] }), input);
    assert.deepEqual(row!.messages, [{ role: 'user', content: 'Hello' }]);
  });

  it('uses input.promptField (string or messages) and named id/reference fields, e.g. GSM8K', () => {
    const gsm: InputConfig = { promptField: 'question', idField: 'qid', referenceField: 'answer' };
    const rows = parsePromptLines(
      lines({ qid: 7, question: 'What is 2+2?', answer: '2+2=4\n#### 4' }, { question: [{ role: 'user', content: 'And 3+3?' }], answer: 6 }),
      gsm,
    );
    assert.deepEqual(rows[0], { id: '7', messages: [{ role: 'user', content: 'What is 2+2?' }], reference: '2+2=4\n#### 4', source: { line: 1 } });
    assert.equal(rows[1]!.id, 'line-2');
    assert.equal(rows[1]!.reference, '6');
  });

  it('reads fields named like what every object inherits (constructor, toString) from the row only', () => {
    // fast-check's counterexample: idField "constructor" on a row without one threw a TypeError.
    const named: InputConfig = { promptField: 'constructor', idField: 'toString', referenceField: 'valueOf' };
    const rows = parsePromptLines(lines({ constructor: 'Who built the car?', toString: 'r1', valueOf: 'Ferrari' }, { constructor: 'Who else?' }), named);
    assert.deepEqual(rows.map((r) => [r.id, r.reference]), [['r1', 'Ferrari'], ['line-2', undefined]]);
    const error = errorOf(() => parsePromptLines(lines({ prompt: 'x' }), named));
    assert.equal(error.message, 'line 1: constructor: is required (input.promptField)');
  });

  it('does not guess a reference from other fields', () => {
    const [row] = parsePromptLines(lines({ prompt: 'q', answer: '#### 4' }), input);
    assert.equal(row!.reference, undefined);
  });

  it('skips blank lines, keeps real line numbers, handles CRLF and a BOM', () => {
    const text = '\uFEFF{"prompt":"a"}\r\n\r\n   \r\n{"id":"x","prompt":"b"}\r\n';
    const rows = parsePromptLines(text, input, { file: 'sel.jsonl', firstLine: 10 });
    assert.deepEqual(
      rows.map((r) => [r.id, r.source]),
      [
        ['line-10', { file: 'sel.jsonl', line: 10 }],
        ['x', { file: 'sel.jsonl', line: 13 }],
      ],
    );
  });
});

describe('parsePromptLines: every problem names file, line and field', () => {
  const cases: Array<[string, unknown, string]> = [
    ['bad role', { messages: [{ role: 'user', content: 'a' }, { role: 'robot', content: 'b' }] }, 'data/in.jsonl:17: messages[1].role: must be one of system, user, assistant'],
    ['developer role', { messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'b' }] }, `data/in.jsonl:17: messages[0].role: must be one of system, user, assistant: a "developer" message is OpenAI's name for a system message, which other servers may not take; write it as "system"`],
    ['missing content', { messages: [{ role: 'user' }] }, 'data/in.jsonl:17: messages[0].content: is required'],
    ['content not a string', { messages: [{ role: 'user', content: 3 }] }, 'data/in.jsonl:17: messages[0].content: must be a string, got number 3'],
    ['ends with assistant', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, "data/in.jsonl:17: messages[1].role: the last message must be the user's, got assistant"],
    ['empty messages', { messages: [] }, 'data/in.jsonl:17: messages: must not be empty'],
    ['messages not an array', { messages: 'hi' }, 'data/in.jsonl:17: messages: must be an array of messages, got string "hi"'],
    ['message not an object', { messages: ['hi'] }, 'data/in.jsonl:17: messages[0]: must be an object with role and content, got string "hi"'],
    ['empty prompt', { prompt: '  ' }, 'data/in.jsonl:17: prompt: must not be empty'],
    // OpenAI's fine-tuning checks refuse an SFT row with an empty message (missing_content); an empty system message is none (below).
    ['empty assistant turn', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: '' }, { role: 'user', content: 'b' }] }, 'data/in.jsonl:17: messages[1].content: must not be empty'],
    ['blank user message', { prompt: [{ role: 'user', content: ' \n' }] }, 'data/in.jsonl:17: prompt[0].content: must not be empty'],
    ['half a surrogate pair in a prompt', { prompt: 'a cut emoji \ud83d' }, 'data/in.jsonl:17: prompt: has \\ud83d, half of a surrogate pair: not a character, so the row cannot be written as UTF-8'],
    ['half a surrogate pair in a message', { messages: [{ role: 'user', content: '\ude00 b' }] }, 'data/in.jsonl:17: messages[0].content: has \\ude00, half of a surrogate pair: not a character, so the row cannot be written as UTF-8'],
    ['half a surrogate pair in an Alpaca input', { instruction: 'x', input: 'y\ud800' }, 'data/in.jsonl:17: input: has \\ud800, half of a surrogate pair: not a character, so the row cannot be written as UTF-8'],
    ['prompt wrong type', { prompt: 5 }, 'data/in.jsonl:17: prompt: must be a string or a messages array, got number 5'],
    ['instruction wrong type', { instruction: null }, 'data/in.jsonl:17: instruction: must be a string, got null'],
    ['alpaca input wrong type', { instruction: 'x', input: 3 }, 'data/in.jsonl:17: input: must be a string, got number 3'],
    ['alpaca system wrong type', { instruction: 'x', system: ['s'] }, 'data/in.jsonl:17: system: must be a string, got an array'],
    ['alpaca history not pairs', { instruction: 'x', history: [['q']] }, 'data/in.jsonl:17: history[0]: must be an [instruction, response] pair, got an array'],
    ['alpaca history with an empty response', { instruction: 'x', history: [['q', '']] }, 'data/in.jsonl:17: history[0][1]: must not be empty'],
    ['no prompt field', { id: 7, text: 'x' }, 'data/in.jsonl:17: no prompt: expected a "prompt", "messages" or "instruction" field; the row has "id", "text": set input.promptField to the one that holds the prompt'],
    ['no prompt field in a wide row', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 }, 'data/in.jsonl:17: no prompt: expected a "prompt", "messages" or "instruction" field; the row has "a", "b", "c", "d", "e", "f" and 2 more: set input.promptField to the one that holds the prompt'],
    ['a misspelt prompt field', { id: 'b', promt: 'typo field' }, 'data/in.jsonl:17: no prompt: expected a "prompt", "messages" or "instruction" field; the row has "promt": did you mean "prompt"?'],
    ['a prompt field in another case', { Messages: [] }, 'data/in.jsonl:17: no prompt: expected a "prompt", "messages" or "instruction" field; the row has "Messages": did you mean "messages"?'],
    ['an empty object', {}, 'data/in.jsonl:17: no prompt: expected a "prompt", "messages" or "instruction" field; the row is an empty object'],
    ['not an object', [1, 2], 'data/in.jsonl:17: must be a JSON object, got an array'],
    ['bad id', { id: {}, prompt: 'x' }, 'data/in.jsonl:17: id: must be a non-empty string or a number, got an object'],
    ['bad reference', { prompt: 'x', reference: [1] }, 'data/in.jsonl:17: reference: must be a string or a number, got an array'],
  ];
  for (const [name, value, message] of cases) {
    it(name, () => {
      const error = errorOf(() => parsePromptLines(JSON.stringify(value), input, { file: 'data/in.jsonl', firstLine: 17 }));
      assert.equal(error.message, message);
      assert.equal(error.problems[0]!.line, 17);
      assert.equal(error.problems[0]!.file, 'data/in.jsonl');
    });
  }

  it('names input.promptField when it is missing', () => {
    const error = errorOf(() => parsePromptLines(lines({ prompt: 'x' }), { ...input, promptField: 'question' }));
    assert.equal(error.message, 'line 1: question: is required (input.promptField)');
  });

  it('reports invalid JSON with the line, with and without a file', () => {
    assert.match(errorOf(() => parsePromptLines('{"prompt":"a"}\n{"prompt":', input)).message, /^line 2: invalid JSON \(.+\)$/);
    assert.match(errorOf(() => parsePromptLines('{oops}', input, { file: 'a.jsonl' })).message, /^a\.jsonl:1: invalid JSON \(/);
  });

  it('names the column of invalid JSON, never a "line 1" that contradicts the row\'s line', () => {
    const message = errorOf(() => parsePromptLines('{"prompt":"a"}\n{"id":"d","prompt":"b"', input, { file: 'a.jsonl' })).message;
    assert.match(message, /^a\.jsonl:2: invalid JSON \(.+ at column 23\)$/);
    assert.doesNotMatch(message, /line 1|position/);
  });

  it('names the column of text after a whole JSON value (a stray brace, a CSV line), not V8\'s 0-based position', () => {
    const brace = errorOf(() => parsePromptLines('{"prompt":"x"}\n{"prompt":"a"}}', input, { file: 'a.jsonl' })).message;
    assert.equal(brace, 'a.jsonl:2: invalid JSON (Unexpected non-whitespace character after JSON at column 15)');
    const csv = errorOf(() => parsePromptLines('\n1,"Write a haiku"', input, { file: 'a.csv' })).message;
    assert.match(csv, /^a\.csv:2: invalid JSON \(.+ at column 2\);/);
  });

  it('says what the file must be when its first line is not JSON (a CSV, a text file, a JSON array), and only there', () => {
    const form = '; the input must be JSON Lines, one JSON object per line, such as {"prompt": "..."}';
    const csv = errorOf(() => parsePromptLines('id,prompt\n1,"Write a haiku"', input, { file: 'p.csv' }));
    assert.deepEqual(csv.message.split('\n'), [
      `p.csv:1: invalid JSON (Unexpected token 'i' at column 1)${form}`,
      'p.csv:2: invalid JSON (Unexpected non-whitespace character after JSON at column 2)',
    ]);
    const array = errorOf(() => parsePromptLines('\n[\n  {"prompt": "a"}\n]', input, { file: 'p.json' }));
    assert.equal(array.message.split('\n')[0], `p.json:2: invalid JSON (Unexpected end of JSON input: the line ends at column 1 before the value does)${form}`);
    const broken = errorOf(() => parsePromptLines('{"prompt": "a"}\n{"prompt": "b', input, { file: 'p.jsonl' }));
    assert.doesNotMatch(broken.message, /JSON Lines/, 'one broken line in a JSONL file is that line\'s problem');
  });

  it('names both lines of a duplicate id (explicit or derived)', () => {
    const error = errorOf(() => parsePromptLines(lines({ id: 'a', prompt: 'x' }, { prompt: 'y' }, { id: 'a', prompt: 'z' }, { id: 'line-2', prompt: 'w' }), input));
    assert.deepEqual(error.message.split('\n'), ['line 3: id: duplicate id "a" (also on line 1)', 'line 4: id: duplicate id "line-2" (also on line 2)']);
    // The other way round: a row without an id whose derived id an earlier row took.
    const taken = errorOf(() => parsePromptLines(lines({ id: 'line-2', prompt: 'x' }, { prompt: 'y' }), input));
    assert.equal(taken.message, `line 2: id: no id, and the id it would get, "line-2", is line 1's: give one of the two rows another id`);
    // Both explicit: a plain duplicate, even when it looks like a derived id.
    const both = errorOf(() => parsePromptLines(lines({ id: 'line-2', prompt: 'x' }, { id: 'line-2', prompt: 'y' }), input));
    assert.equal(both.message, 'line 2: id: duplicate id "line-2" (also on line 1)');
  });

  it('collects every problem of the input, several per row', () => {
    const error = errorOf(() => parsePromptLines(lines({ prompt: 'ok' }, 'nope', { messages: [{ role: 'x', content: 1 }] }), input));
    assert.deepEqual(
      error.problems.map((p) => [p.line, p.path]),
      [
        [2, ''],
        [3, 'messages[0].role'],
        [3, 'messages[0].content'],
      ],
    );
  });

  it('summarizes problems beyond the cap where they start, and counts them all', () => {
    const error = errorOf(() => parsePromptLines(Array.from({ length: MAX_PROBLEMS + 5 }, () => '{').join('\n'), input, { file: 'big.jsonl' }));
    assert.equal(error.problems.length, MAX_PROBLEMS + 1);
    assert.deepEqual(error.problems.at(-1), { file: 'big.jsonl', line: MAX_PROBLEMS + 1, path: '', message: '... and 5 more problems from this line on', omitted: 5 });
    assert.equal(error.count, MAX_PROBLEMS + 5, 'what messages count: all that were found');
  });

  it('rows without the reference a reward needs: the first ones named, all counted', () => {
    const rows = parsePromptLines(Array.from({ length: MAX_PROBLEMS + 40 }, (_, i) => JSON.stringify({ prompt: `q${i}` })).join('\n'), input, { file: 'refs.jsonl' });
    const error = errorOf(() => requireReferences(rows, 'reference'));
    assert.equal(error.count, MAX_PROBLEMS + 40);
    assert.equal(error.problems.length, MAX_PROBLEMS + 1);
    assert.deepEqual(error.problems.at(-1), { file: 'refs.jsonl', line: MAX_PROBLEMS + 1, path: '', message: '... and 40 more problems from this line on', omitted: 40 });
  });
});

describe('parseLinesInSlices (a document, read without holding the event loop)', () => {
  const source = (text: string): LineSource => {
    const all = text.split('\n');
    return { lineCount: all.length, lineAt: (i) => all[i]! };
  };
  /** Pauses after every 3 lines (the clock moves 1 ms a read), counted. */
  const sliced = (): { pauses: number; clock: { now(): number }; sliceMs: number; pause(): Promise<void> } => {
    let t = 0;
    const options = { pauses: 0, clock: { now: () => t++ }, sliceMs: 3, pause: async () => void options.pauses++ };
    return options;
  };

  it('gives the rows parsePromptLines gives, in slices', async () => {
    const text = lines({ id: 1, prompt: 'a' }, '', { instruction: 'b', input: 'c' }, { messages: [{ role: 'user', content: 'd' }], reference: 'r' }, { prompt: 'e' }, '', { prompt: 'f' }, { prompt: 'g' });
    const options = sliced();
    assert.deepEqual(await parseLinesInSlices(source(text), input, { file: 'a.jsonl', firstLine: 4, ...options }), parsePromptLines(text, input, { file: 'a.jsonl', firstLine: 4 }));
    assert.equal(options.pauses, 2, '8 lines in slices of 3');
  });

  it("'plain': one prompt per non-blank line, with line ids", async () => {
    const rows = await parseLinesInSlices(source('First question\n\n  Second one  \n'), 'plain', { file: 'notes.md', ...sliced() });
    assert.deepEqual(rows, [
      { id: 'line-1', messages: [{ role: 'user', content: 'First question' }], source: { file: 'notes.md', line: 1 } },
      { id: 'line-3', messages: [{ role: 'user', content: 'Second one' }], source: { file: 'notes.md', line: 3 } },
    ]);
  });

  it('throws the problems parsePromptLines throws: every bad row with file, line and field, duplicates across slices too', async () => {
    const text = lines({ id: 'a', prompt: 'ok' }, 'nope', { messages: [{ role: 'x', content: 1 }] }, { prompt: 'fine' }, { id: 'a', prompt: 'again' }, ...Array.from({ length: MAX_PROBLEMS }, () => '{'));
    const expected = errorOf(() => parsePromptLines(text, input, { file: 'data/in.jsonl' }));
    const error = await parseLinesInSlices(source(text), input, { file: 'data/in.jsonl', ...sliced() }).then(() => assert.fail('expected a ValidationError'), (e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(error.problems, expected.problems);
    assert.equal(error.count, expected.count);
    assert.ok(error.problems.some((p) => p.line === 5 && p.path === 'id' && /also on line 1/.test(p.message)), 'the duplicate of a row two slices back');
  });

  it('a cancel rejects at the next pause with the reason, having read no further', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    let read = 0;
    const text = lines(...Array.from({ length: 10 }, (_, i) => ({ prompt: `q${i}` })));
    const counted: LineSource = { lineCount: 10, lineAt: (i) => (read++, source(text).lineAt(i)) };
    const options = { ...sliced(), signal: controller.signal, onProgress: (done: number) => done >= 6 && controller.abort(reason) };
    await assert.rejects(parseLinesInSlices(counted, input, options), (error) => error === reason);
    assert.equal(read, 6);
  });
});

describe('readRowsInSlices (a saved file the editor runs, read from disk)', () => {
  const inDir = tempDir('toa-reader-slices-');
  /** A document's lines, as the editor hands them to parseLinesInSlices: the rows to match. */
  const documentLines = (text: string): LineSource => {
    const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    return { lineCount: all.length, lineAt: (i) => all[i]! };
  };
  /** Pauses whenever the clock (1 ms a read) has run 3 ms, counted; progress recorded. */
  const sliced = (): { pauses: number; progress: string[]; clock: { now(): number }; sliceMs: number; pause(): Promise<void>; onProgress(done: number, total: number): void } => {
    let t = 0;
    const options = { pauses: 0, progress: [] as string[], clock: { now: () => t++ }, sliceMs: 3, pause: async () => void options.pauses++, onProgress: (done: number, total: number) => void options.progress.push(`${done}/${total}`) };
    return options;
  };
  const failure = (work: Promise<unknown>): Promise<unknown> => work.then(() => assert.fail('expected a rejection'), (e: unknown) => e);

  it("gives the rows, ids and sources the document's read gives, with the display name as the file", async () => {
    const text = lines({ id: 'a', prompt: 'x' }, '', { prompt: 'no id' }, { instruction: 'b', input: 'c' }, { messages: [{ role: 'user', content: 'd' }], reference: 'r' }, '   ', { id: 7, prompt: 'e' });
    const file = inDir('rows.jsonl');
    await writeFile(file, `\uFEFF${text.replaceAll('\n', '\r\n')}\r\n`);
    const rows = await readRowsInSlices(file, input, { displayName: 'data/rows.jsonl', ...sliced() });
    assert.deepEqual(rows, await parseLinesInSlices(documentLines(text), input, { file: 'data/rows.jsonl' }));
    assert.deepEqual(rows.map((r) => `${r.id}@${r.source?.file}:${r.source?.line}`), ['a@data/rows.jsonl:1', 'line-3@data/rows.jsonl:3', 'line-4@data/rows.jsonl:4', 'line-5@data/rows.jsonl:5', '7@data/rows.jsonl:7']);
  });

  it("'plain': one prompt per non-blank line, trimmed, with line ids, as the document's read gives", async () => {
    const text = 'First question\n\n  Second one  \r\n{"prompt": "taken as text"}\n';
    const file = inDir('notes.txt');
    await writeFile(file, text);
    const rows = await readRowsInSlices(file, 'plain', { displayName: 'notes.txt', ...sliced() });
    assert.deepEqual(rows, await parseLinesInSlices(documentLines(text), 'plain', { file: 'notes.txt' }));
    assert.deepEqual(rows.map((r) => [r.id, r.messages[0]?.content]), [['line-1', 'First question'], ['line-3', 'Second one'], ['line-4', '{"prompt": "taken as text"}']]);
  });

  it("throws the document's read's problems: every bad row with file, line and field, duplicates and the cap", async () => {
    const text = lines({ id: 'a', prompt: 'ok' }, 'nope', { messages: [{ role: 'x', content: 1 }] }, '', { id: 'a', prompt: 'again' }, ...Array.from({ length: MAX_PROBLEMS }, () => '{'));
    const file = inDir('bad.jsonl');
    await writeFile(file, text);
    const expected = await failure(parseLinesInSlices(documentLines(text), input, { file: 'data/bad.jsonl' }));
    const error = await failure(readRowsInSlices(file, input, { displayName: 'data/bad.jsonl', ...sliced() }));
    assert.ok(error instanceof ValidationError && expected instanceof ValidationError);
    assert.deepEqual(error.problems, expected.problems);
    assert.equal(error.count, expected.count);
    assert.deepEqual(error.problems.slice(0, 4).map((p) => `${p.file}:${p.line}:${p.path}`), ['data/bad.jsonl:2:', 'data/bad.jsonl:3:messages[0].role', 'data/bad.jsonl:3:messages[0].content', 'data/bad.jsonl:5:id']);
    assert.equal(error.problems.at(-1)?.message, '... and 4 more problems from this line on');
  });

  it("says at each pause how many of the file's non-blank lines it has read (countRows's total), and pauses without onProgress too", async () => {
    const file = inDir('progress.jsonl');
    await writeFile(file, lines(...Array.from({ length: 10 }, (_, i) => (i === 4 ? '' : { prompt: `q${i}` }))));
    const options = sliced();
    assert.equal((await readRowsInSlices(file, input, options)).length, 9);
    // The clock is read as the read starts, then after each of the 10 lines: a pause every 3 lines.
    assert.deepEqual(options.progress, ['3/9', '5/9', '8/9']);
    assert.equal(options.pauses, 3);
    const quiet = sliced();
    assert.equal((await readRowsInSlices(file, input, { ...quiet, onProgress: undefined })).length, 9);
    assert.equal(quiet.pauses, 3, 'it still gives the event loop its turn');
  });

  it('a cancel rejects with its reason: before the read, during the count, at a pause', async () => {
    const reason = new Error('cancelled by user');
    const file = inDir('cancel.jsonl');
    await writeFile(file, lines(...Array.from({ length: 20 }, (_, i) => ({ prompt: `q${i}` }))));
    assert.equal(await failure(readRowsInSlices(file, input, { ...sliced(), signal: AbortSignal.abort(reason) })), reason);
    const counting = new AbortController();
    const count = readRowsInSlices(file, input, { ...sliced(), signal: counting.signal });
    counting.abort(reason);
    assert.equal(await failure(count), reason);
    const reading = new AbortController();
    const options = { ...sliced(), signal: reading.signal };
    const progress: number[] = [];
    const read = readRowsInSlices(file, input, { ...options, onProgress: (done) => (progress.push(done), done >= 6 && reading.abort(reason)) });
    assert.equal(await failure(read), reason);
    assert.deepEqual(progress, [3, 6], 'no slice after the cancel');
  });

  it('names a file it cannot read, and the line of bytes that are not UTF-8, during the count too', async () => {
    const missing = await failure(readRowsInSlices(inDir('none.jsonl'), input, { displayName: 'none.jsonl', ...sliced() }));
    assert.ok(missing instanceof ValidationError);
    assert.equal(missing.message, 'none.jsonl: no such file');
    const file = inDir('latin1.txt');
    await writeFile(file, Buffer.concat([Buffer.from('a\nb\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    for (const onProgress of [undefined, () => undefined]) {
      const error = await failure(readRowsInSlices(file, 'plain', { displayName: 'latin1.txt', onProgress }));
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems, [{ file: 'latin1.txt', path: '', line: 3, message: 'is not valid UTF-8 text' }]);
    }
  });
});

describe('readPromptRows (streaming)', () => {
  const inDir = tempDir('toa-reader-');

  it('yields the same rows as parsePromptLines, with the display name as source', async () => {
    const text = lines({ id: 1, prompt: 'a' }, '', { instruction: 'b', input: 'c' }, { messages: [{ role: 'user', content: 'd' }], reference: 'r' });
    const file = inDir('ok.jsonl');
    await writeFile(file, text);
    const streamed = await collect(readPromptRows(file, input, { displayName: 'data/ok.jsonl' }));
    assert.deepEqual(streamed, parsePromptLines(text, input, { file: 'data/ok.jsonl' }));
  });

  it('reads a row whose line starts with a byte-order mark, as files joined with cat leave one', async () => {
    const file = inDir('joined.jsonl');
    await writeFile(file, '\uFEFF{"id":"a","prompt":"x"}\n\uFEFF{"id":"b","prompt":"y"}\r\n');
    assert.deepEqual((await collect(readPromptRows(file, input))).map((r) => r.id), ['a', 'b']);
    // An empty file saved with a mark, then one with rows: the second mark starts line 1's text.
    await writeFile(file, '\uFEFF\uFEFF{"id":"a","prompt":"x"}\n');
    assert.deepEqual((await collect(readPromptRows(file, input))).map((r) => r.id), ['a']);
    assert.deepEqual(parsePromptLines('{"prompt":"a"}\n\uFEFF{"prompt":"b"}', input).map((r) => r.id), ['line-1', 'line-2']);
  });

  it('throws every problem before yielding any row', async () => {
    const file = inDir('bad.jsonl');
    await writeFile(file, lines({ prompt: 'fine' }, { prompt: 'fine too' }, '{', { messages: [{ role: 'bot', content: 'x' }] }));
    const iterator = readPromptRows(file, input, { displayName: 'bad.jsonl' });
    await assert.rejects(iterator.next(), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems.map((p) => `${p.line}:${p.path}`), ['3:', '4:messages[0].role']);
      return true;
    });
  });

  it('with requireReference, names every row without a reference before yielding any', async () => {
    const file = inDir('refs.jsonl');
    await writeFile(file, lines({ prompt: 'a', answer: '1' }, { prompt: 'b' }, { prompt: 'c', answer: '  ' }, { prompt: 'd', answer: 4 }));
    const gsm: InputConfig = { ...input, referenceField: 'answer' };
    await assert.rejects(collect(readPromptRows(file, gsm, { displayName: 'refs.jsonl', requireReference: true })), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems.map((p) => `${p.line}:${p.path}`), ['2:answer', '3:answer']);
      assert.match(error.message, /refs\.jsonl:2: answer: is required: the reward checks answers against a reference/);
      return true;
    });
    assert.equal((await collect(readPromptRows(file, gsm))).length, 4, 'optional otherwise');
  });

  it('names the line of bytes that are not UTF-8, so the Problems view marks it', async () => {
    const file = inDir('latin1.jsonl');
    await writeFile(file, Buffer.concat([Buffer.from('{"prompt":"a"}\n{"prompt":"b"}\n{"prompt":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    await assert.rejects(collect(readPromptRows(file, input, { displayName: 'latin1.jsonl' })), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.problems, [{ file: 'latin1.jsonl', path: '', line: 3, message: 'is not valid UTF-8 text' }]);
      assert.equal(error.message, 'latin1.jsonl:3: is not valid UTF-8 text');
      return true;
    });
  });

  it('reports a missing file as a ValidationError naming it, in words', async () => {
    await assert.rejects(collect(readPromptRows(inDir('none.jsonl'), input, { displayName: 'none.jsonl' })), (error: unknown) => error instanceof ValidationError && error.message === 'none.jsonl: no such file');
  });

  it('refuses a pipe or a folder, which the second pass could not read again', async () => {
    const fifo = inDir('fifo.jsonl');
    await mkdir(dirname(fifo), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    // Nothing writes to the pipe: reading it would hang, so the check must come before any read.
    await assert.rejects(collect(readPromptRows(fifo, input, { displayName: 'rows.jsonl' })), /^ValidationError: rows\.jsonl: is a pipe: the input is read more than once/);
    await assert.rejects(collect(readPromptRows(dirname(fifo), input)), /is a folder: give the file of prompts in it$/);
  });

  it('streams 100,000 rows with flat memory', async () => {
    const file = inDir('big.jsonl');
    const filler = 'x'.repeat(900);
    const handle = await open(file, 'w');
    for (let batch = 0; batch < 100; batch++) {
      let chunk = '';
      for (let i = batch * 1000; i < (batch + 1) * 1000; i++) chunk += `{"id":"p${i}","prompt":"question ${i} ${filler}"}\n`;
      await handle.write(chunk);
    }
    await handle.close();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let count = 0;
    for await (const row of readPromptRows(file, input)) {
      count++;
      if (count % 5000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      assert.equal(row.id, `p${count - 1}`);
    }
    assert.equal(count, 100_000);
    // The file is ~92 MB; reading it whole and parsing it grows RSS by ~200 MB. Streaming grows it
    // by 20-75 MB (young-generation space and stream buffers, not rows), depending on the GC.
    const grownMb = (peak - baseline) / 2 ** 20;
    assert.ok(grownMb < 100, `RSS grew by ${grownMb.toFixed(0)} MB while streaming`);
  });
});

describe('a cancel during the reads of an input (countRows, readPromptRows)', () => {
  const inDir = tempDir('toa-reader-cancel-');
  const reason = new Error('cancelled by user');
  const rowsOf = (n: number): string => Array.from({ length: n }, (_, i) => `{"id":"p${i}","prompt":"Say ${i}."}\n`).join('');
  let file = '';
  /** How long readPromptRows's first pass (every line checked before the first row) takes here. */
  let firstPassMs = 0;

  before(async () => {
    // About 4 MB of short rows: a first pass of a few hundred ms, as a million rows take seconds.
    file = inDir('many.jsonl');
    await writeFile(file, rowsOf(100_000));
    const started = Date.now();
    const rows = readPromptRows(file, input);
    await rows.next();
    firstPassMs = Date.now() - started;
    await rows.return(undefined);
  });

  it('countRows counts the non-blank lines; with an aborted signal it rejects with its reason', async () => {
    assert.equal(await countRows(file), 100_000);
    await assert.rejects(countRows(file, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
  });

  it('readPromptRows with an aborted signal rejects with its reason before any row', async () => {
    await assert.rejects(readPromptRows(file, input, { signal: AbortSignal.abort(reason) }).next(), (error) => error === reason);
  });

  it('readPromptRows ends its first pass at once when a cancel comes mid-way, and yields no row', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const timer = setTimeout(() => controller.abort(reason), 10);
    try {
      await assert.rejects(readPromptRows(file, input, { signal: controller.signal }).next(), (error) => error === reason, 'rejects with the cancel itself, not an error naming the file');
    } finally {
      clearTimeout(timer);
    }
    const took = Date.now() - started;
    assert.ok(took < firstPassMs / 3, `ended ${took} ms after it began; the first pass takes ${firstPassMs} ms`);
  });

  it('readPromptRows ends its second pass at the next chunk when a cancel comes after some rows', async () => {
    // 20,000 rows: about ten chunks of 64 KiB.
    const small = inDir('some.jsonl');
    await writeFile(small, rowsOf(20_000));
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const _row of readPromptRows(small, input, { signal: controller.signal })) if (++seen === 10) controller.abort(reason);
      })(),
      (error) => error === reason,
    );
    assert.ok(seen < 2_500, `${seen} rows yielded: the rest of one chunk at most`);
  });
});
