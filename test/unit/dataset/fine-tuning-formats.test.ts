import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preferenceProblems, sftProblems } from '../../helpers/fine-tuning-formats';

/** JSONL text of these rows, as the writers append them. */
const jsonl = (...rows: unknown[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

const user = (content: string): Record<string, unknown> => ({ role: 'user', content });
const assistant = (content: string, weight?: number): Record<string, unknown> => (weight === undefined ? { role: 'assistant', content } : { role: 'assistant', content, weight });

describe('the conformance checker (test helper) itself', () => {
  it("passes the documents' own examples: OpenAI's weighted multi-turn row and TRL's explicit-prompt pair", () => {
    const marv = { role: 'system', content: 'Marv is a factual chatbot that is also sarcastic.' };
    assert.deepEqual(sftProblems(jsonl({ messages: [marv, user("What's the capital of France?"), assistant('Paris', 0), user('Can you be more sarcastic?'), assistant('Paris, as if everyone does not know that already.', 1)] })), []);
    assert.deepEqual(sftProblems(jsonl({ messages: [user('What color is the sky?'), assistant('It is blue.')] })), []);
    assert.deepEqual(preferenceProblems(jsonl({ prompt: [user('What color is the sky?')], chosen: [assistant('It is blue.')], rejected: [assistant('It is green.')] })), []);
  });

  it("flags each of OpenAI's format errors in an SFT row", () => {
    const problems = sftProblems(
      jsonl(
        { messages: [] },
        { messages: [user('hi')] },
        { messages: [{ role: 'system', content: '' }, user('hi'), assistant('a')] },
        { messages: [{ role: 'tool', content: 'x' }, user('hi'), assistant('a')] },
        { messages: [{ ...user('hi'), id: 7 }, assistant('a')] },
        { id: 'p1', messages: [user('hi'), assistant('a')] },
        { messages: [user('hi'), assistant('a', 2)] },
        { messages: [{ ...user('hi'), weight: 0 }, assistant('a')] },
      ),
    );
    assert.deepEqual(problems, [
      'line 1: messages: missing or empty (OpenAI: missing_messages_list)',
      'line 2: messages: no assistant message (OpenAI: example_missing_assistant_message)',
      'line 2: messages[0].role: the answer must come last, got user',
      'line 3: messages[0].content: empty (OpenAI: missing_content)',
      'line 4: messages[0].role: "tool" is not one of system, user, assistant (OpenAI: unrecognized_role)',
      'line 5: messages[0].id: not a key of the format (OpenAI: message_unrecognized_key)',
      'line 6: id: not a key of the format',
      'line 7: messages[1].weight: must be 0 or 1, got 2',
      'line 7: messages[1].weight: the answer must be trained on (weight 1), got 2',
      'line 8: messages[0].weight: only assistant messages take a weight',
    ]);
  });

  it('flags an earlier assistant turn that would be trained on, and an answer that would not', () => {
    assert.deepEqual(sftProblems(jsonl({ messages: [user('a'), assistant('b'), user('c'), assistant('d', 0)] })), [
      'line 1: messages[1].weight: an earlier assistant turn of the prompt must have weight 0, or OpenAI trains on it',
      'line 1: messages[3].weight: the answer must be trained on (weight 1), got 0',
    ]);
  });

  it('flags what TRL cannot read as an explicit-prompt conversational pair', () => {
    const problems = preferenceProblems(
      jsonl(
        { prompt: 'What color is the sky?', chosen: [assistant('blue')], rejected: [assistant('green')] },
        { prompt: [user('q'), assistant('draft')], chosen: [assistant('blue')], rejected: [assistant('green')] },
        { prompt: [user('q')], chosen: [user('q'), assistant('blue')], rejected: [assistant('green', 1)] },
        { prompt: [user('q')], chosen: [assistant('same')], rejected: [assistant('same')], id: 'p1' },
      ),
    );
    assert.deepEqual(problems, [
      'line 1: prompt: must be a non-empty list of messages (explicit prompt)',
      "line 2: prompt[1].role: the prompt must end with the user's turn, got assistant",
      'line 3: chosen: must be a list of one assistant message',
      'line 3: rejected[0].weight: not a key of the format',
      'line 4: id: not a key of the format',
      'line 4: chosen, rejected: the two answers are the same',
    ]);
  });

  it("flags the file's framing: a byte-order mark, a last line cut short, a line that is not JSON, a lone surrogate", () => {
    const ok = jsonl({ messages: [user('hi'), assistant('a')] });
    assert.deepEqual(sftProblems(`\uFEFF${ok}`), ['line 1: starts with a byte-order mark']);
    assert.deepEqual(sftProblems(ok.slice(0, -1)), ['the last line has no newline']);
    assert.match(sftProblems(`${ok}{"messages":\n`).join(), /^line 2: not JSON/);
    assert.deepEqual(sftProblems(jsonl({ messages: [user('x\ud800y'), assistant('a')] })), ['line 1: messages[0].content: has a lone surrogate, so no UTF-8 form']);
    assert.deepEqual(sftProblems(jsonl({ messages: [user('emoji \ud83d\ude00 and 中文'), assistant('a')] })), [], 'a surrogate pair is a character');
  });
});
