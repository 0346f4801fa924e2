import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage, PromptRow } from '../../../src/core/chat';
import { taskKinds } from '../../../src/core/config/schema';
import { DEFAULT_TEMPLATES } from '../../../src/core/templates/defaults';
import { conversationText, fillTemplate, numberedResponses } from '../../../src/core/templates/fill';
import { buildPlayMessages } from '../../../src/core/templates/play-messages';
import { REQUIRED_PLACEHOLDERS, resolveTemplates } from '../../../src/core/templates/resolve';

const row: PromptRow = {
  id: 'r1',
  messages: [
    { role: 'system', content: 'Answer in French.' },
    { role: 'user', content: 'What is the capital of Italy?' },
  ],
};
const templates = resolveTemplates('instruction');
/** Text that a naive fill would mangle: placeholders, $-patterns, blank lines. */
const tricky = 'Rome.\n\nNote: {{prompt}} and $& and $1 stay as written.';

describe('default templates', () => {
  for (const task of taskKinds) {
    it(`${task}: every template holds the placeholders it needs, and judges state the scale`, () => {
      const t = DEFAULT_TEMPLATES[task];
      for (const kind of ['refine', 'aggregate', 'judge'] as const) {
        for (const name of REQUIRED_PLACEHOLDERS[kind]) assert.ok(t[kind].includes(`{{${name}}}`), `${task}.${kind} lacks {{${name}}}`);
      }
      assert.ok(t.judge.includes('{{min}}') && t.judge.includes('{{max}}') && t.judge.includes('Score: <number>'));
    });
  }

  it('math keeps the final "#### <answer>" line; translation asks for the translation only', () => {
    assert.ok(DEFAULT_TEMPLATES.math.refine.includes('#### <answer>'));
    assert.ok(DEFAULT_TEMPLATES.math.aggregate.includes('#### <answer>'));
    assert.match(DEFAULT_TEMPLATES.translation.refine, /Output only the improved translation/);
    assert.match(DEFAULT_TEMPLATES.translation.aggregate, /Output only the translation/);
    assert.match(DEFAULT_TEMPLATES.instruction.refine, /Output only the new answer/);
  });
});

describe('resolveTemplates', () => {
  it('applies valid overrides and keeps the other defaults', () => {
    const t = resolveTemplates('math', { refine: 'Fix: {{prompt}} // {{response}}' });
    assert.equal(t.refine, 'Fix: {{prompt}} // {{response}}');
    assert.equal(t.aggregate, DEFAULT_TEMPLATES.math.aggregate);
  });

  it('takes the overrides as given: their placeholders are checked once, by parseConfig', () => {
    assert.equal(resolveTemplates('instruction', { refine: 'Improve {{prompt}}' }).refine, 'Improve {{prompt}}');
  });
});

describe('fill helpers', () => {
  it('fills in one pass and leaves unknown placeholders and $-patterns alone', () => {
    assert.equal(fillTemplate('{{a}} {{b}} {{c}}', { a: '{{b}}', b: '$&' }), '{{b}} $& {{c}}');
  });

  it('numbers responses with clear delimiters', () => {
    assert.equal(numberedResponses(['x', 'y']), '[Response 1]\nx\n[End of response 1]\n\n[Response 2]\ny\n[End of response 2]');
  });

  it('shows a single turn as itself and a conversation as a transcript, without system messages', () => {
    assert.equal(conversationText(row.messages), 'What is the capital of Italy?');
    const chat: ChatMessage[] = [...row.messages, { role: 'assistant', content: 'Rome.' }, { role: 'user', content: 'And of Spain?' }];
    assert.equal(conversationText(chat), 'User: What is the capital of Italy?\n\nAssistant: Rome.\n\nUser: And of Spain?');
    const named: ChatMessage[] = [{ role: 'user', content: 'Is 7 prime?', name: 'ada' }, { role: 'user', content: 'And 9?', name: 'bob' }];
    assert.equal(conversationText(named), 'User (ada): Is 7 prime?\n\nUser (bob): And 9?', 'who speaks, where a message names them');
  });
});

describe('buildPlayMessages', () => {
  it('scratch: the row as is, with the agent system prompt first when set', () => {
    assert.deepEqual(buildPlayMessages({ agent: 0, mode: 'scratch', sources: [] }, row, {}, templates), row.messages);
    assert.deepEqual(buildPlayMessages({ agent: 0, mode: 'scratch', sources: [] }, row, { systemPrompt: 'Be terse.' }, templates), [
      { role: 'system', content: 'Be terse.' },
      ...row.messages,
    ]);
  });

  it('refine: keeps system messages; one user turn with the task and the previous answer verbatim', () => {
    const messages = buildPlayMessages({ agent: 1, mode: 'refine', sources: [tricky] }, row, {}, templates);
    assert.equal(messages.length, 2);
    assert.deepEqual(messages[0], row.messages[0]);
    assert.equal(messages[1]!.role, 'user');
    assert.ok(messages[1]!.content.includes('What is the capital of Italy?'));
    assert.ok(messages[1]!.content.includes(tricky));
    assert.doesNotMatch(messages[1]!.content, /\{\{response\}\}/);
  });

  it('aggregate: every source verbatim, in order, in a numbered list', () => {
    const sources = ['Rome.', tricky, 'Roma'];
    const messages = buildPlayMessages({ agent: 2, mode: 'aggregate', sources }, row, { systemPrompt: 'P' }, templates);
    assert.deepEqual(messages.slice(0, 2), [{ role: 'system', content: 'P' }, row.messages[0]]);
    const text = messages[2]!.content;
    assert.ok(text.includes(numberedResponses(sources)));
    assert.ok(text.indexOf('[Response 1]\nRome.') < text.indexOf(`[Response 2]\n${tricky}`));
  });

  it('refuses a refine without exactly one source and an aggregate without sources', () => {
    assert.throws(() => buildPlayMessages({ agent: 0, mode: 'refine', sources: ['a', 'b'] }, row, {}, templates), /prompt "r1": a refine play needs exactly one source response, got 2/);
    assert.throws(() => buildPlayMessages({ agent: 0, mode: 'aggregate', sources: [] }, row, {}, templates), /at least one source/);
  });
});
