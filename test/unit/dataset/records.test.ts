import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PromptRow } from '../../../src/core/chat';
import { conversationId, conversationKey } from '../../../src/core/dataset/done';
import { Curator } from '../../../src/core/curation';
import { bestResponse } from '../../../src/shared/panel-state';
import { answerCandidates, defaultRank, isSftRowOf, pickPreferencePair, preferenceRow, sftPromptKey, sftRow, traceRow, type TraceRow } from '../../../src/core/dataset/records';
import { addNode, createTree, ROOT } from '../../../src/core/search/tree';
import { preferenceProblems, sftProblems } from '../../helpers/fine-tuning-formats';
import type { SearchTree } from '../../../src/shared/tree';

const row: PromptRow = {
  id: 'q1',
  messages: [
    { role: 'system', content: 'Be exact.' },
    { role: 'user', content: 'What is 6 x 7?' },
  ],
  reference: '42',
};

/** A tree whose responses have these rewards, in play order (text `r<i>` unless given; agents a, b alternating). */
function treeWith(rewards: number[], texts: string[] = []): SearchTree {
  const tree = createTree('q1', 'best-of-n', ['a', 'b'], rewards.length);
  const agentNode = addNode(tree, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  rewards.forEach((reward, i) => {
    addNode(tree, agentNode.id, { kind: 'response', agent: i % 2 === 0 ? 0 : 1, text: texts[i] ?? `r${i}`, reward, own: reward, play: i + 1 });
    tree.plays = i + 1;
  });
  return tree;
}

describe('sftRow and preferenceRow', () => {
  it('writes OpenAI chat fine-tuning rows: the prompt messages, then the answer, trained on (weight 1)', () => {
    assert.deepEqual(sftRow(row, '42'), {
      messages: [
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: 'What is 6 x 7?' },
        { role: 'assistant', content: '42', weight: 1 },
      ],
    });
  });

  it("trains on the answer only: a multi-turn prompt's earlier assistant turns get weight 0, and the pair's prompt stays as it was", () => {
    const multi: PromptRow = { id: 'm', messages: [{ role: 'user', content: 'What is 6 x 7?' }, { role: 'assistant', content: '42' }, { role: 'user', content: 'And 6 x 8?' }] };
    assert.deepEqual(sftRow(multi, '48').messages, [
      { role: 'user', content: 'What is 6 x 7?' },
      { role: 'assistant', content: '42', weight: 0 },
      { role: 'user', content: 'And 6 x 8?' },
      { role: 'assistant', content: '48', weight: 1 },
    ]);
    assert.deepEqual(preferenceRow(multi, '48', '49').prompt, multi.messages, 'TRL trains on chosen and rejected only: the prompt needs no weights');
    assert.deepEqual(multi.messages[1], { role: 'assistant', content: '42' }, 'the row is left as it was');
    assert.equal(isSftRowOf(JSON.stringify(sftRow(multi, '48')), multi.messages), true, 'the weights are not part of the conversation');
  });

  it("keeps who speaks: a message's name is in the SFT row and the pair's prompt, and another name is another prompt", () => {
    const named: PromptRow = { id: 'n', messages: [{ role: 'user', content: 'Which is larger, 2 or 3?', name: 'ada' }, { role: 'assistant', content: '3.', name: 'tutor' }, { role: 'user', content: 'And 3 or 4?', name: 'bob' }] };
    assert.deepEqual(sftRow(named, '4.').messages, [
      { role: 'user', content: 'Which is larger, 2 or 3?', name: 'ada' },
      { role: 'assistant', content: '3.', name: 'tutor', weight: 0 },
      { role: 'user', content: 'And 3 or 4?', name: 'bob' },
      { role: 'assistant', content: '4.', weight: 1 },
    ]);
    assert.deepEqual(preferenceRow(named, '4.', '3.').prompt, named.messages);
    const line = JSON.stringify(sftRow(named, '4.'));
    assert.equal(isSftRowOf(line, named.messages), true);
    assert.equal(isSftRowOf(line, named.messages.map((m) => ({ ...m, name: m.name === 'bob' ? 'eve' : m.name }))), false, 'another speaker');
    assert.equal(isSftRowOf(line, named.messages.map(({ role, content }) => ({ role, content }))), false, 'no speakers');
  });

  it("writes TRL's conversational preference rows (explicit prompt)", () => {
    const pref = preferenceRow(row, '42', '48');
    assert.deepEqual(pref, {
      prompt: row.messages,
      chosen: [{ role: 'assistant', content: '42' }],
      rejected: [{ role: 'assistant', content: '48' }],
    });
    assert.deepEqual(Object.keys(pref), ['prompt', 'chosen', 'rejected']);
  });

  it('does not share arrays with the row', () => {
    const out = sftRow(row, 'x');
    out.messages.pop();
    assert.equal(row.messages.length, 2);
  });

  it("isSftRowOf finds a prompt's SFT row by its messages, whatever the answer", () => {
    assert.equal(isSftRowOf(JSON.stringify(sftRow(row, 'any answer')), row.messages), true);
    const other = { ...row, messages: [row.messages[0]!, { role: 'user' as const, content: 'What is 6 x 8?' }] };
    assert.equal(isSftRowOf(JSON.stringify(sftRow(other, '48')), row.messages), false, 'another prompt');
    assert.equal(isSftRowOf(JSON.stringify(sftRow({ messages: row.messages.slice(1) }, '42')), row.messages), false, 'without the system turn');
    assert.equal(isSftRowOf(JSON.stringify({ messages: row.messages }), row.messages), false, 'no answer turn');
    assert.equal(isSftRowOf(JSON.stringify(preferenceRow(row, '42', '48')), row.messages), false, 'a preference row');
    for (const line of ['{"messages":', 'null', '[]', '{"messages":[1,2,3]}']) assert.equal(isSftRowOf(line, row.messages), false, line);
  });
});

describe('blank answers are never training data', () => {
  // The reward model scored the empty answer best (a reward model can).
  const tree = treeWith([0.9, 0.8, 0.3, 0.1], ['', 'forty-two', '  \n', '48']);

  it('no SFT answer and no side of a pair is blank', () => {
    assert.deepEqual(answerCandidates(tree).map((c) => c.text), ['forty-two', '48']);
    const pair = pickPreferencePair(tree, { margin: 0 })!;
    assert.deepEqual([pair.chosen.text, pair.rejected.text], ['forty-two', '48']);
  });

  it("the run's auto-accept takes the best answer that is not blank; the trace keeps every candidate", async () => {
    const written = { sft: [] as string[], preference: [] as string[], trace: [] as string[] };
    const sink = (lines: string[]) => ({ append: async (more: string[]) => void lines.push(...more) });
    const curator = new Curator({ sft: sink(written.sft), preference: sink(written.preference), trace: sink(written.trace) }, { preferenceMargin: 0 }, { kind: 'all' });
    await curator.recordTree(tree, row, { runId: 'r', configHash: 'h', startedAt: 0, finishedAt: 1 });
    assert.equal(JSON.parse(written.sft[0]!).messages.at(-1).content, 'forty-two');
    const trace = JSON.parse(written.trace[0]!) as TraceRow;
    assert.equal(trace.tree.nodes.filter((n) => n.kind === 'response').length, 4);
    assert.equal(trace.derived?.sft, tree.nodes.find((n) => n.text === 'forty-two')!.id);
    assert.equal(trace.best?.text, 'forty-two', 'the trace names as best the answer SFT took');
    // By hand too: a pair with a blank side is refused, and "Accept best" passes a blank best over.
    const blank = tree.nodes.find((n) => n.text === '')!.id;
    await assert.rejects(curator.preference(row, tree, blank, tree.nodes.find((n) => n.text === '48')!.id), /a blank answer cannot be either side of a pair/);
    assert.equal(bestResponse(tree)!.text, 'forty-two', 'the tree marks the same best');
    assert.equal(bestResponse(tree, { answersOnly: true })!.text, 'forty-two');
    // Every answer blank: no SFT row, but the trace and the tree still name the best of them.
    const blanks = treeWith([0.2, 0.5], ['', ' ']);
    const emptyTrace: string[] = [];
    const empty = new Curator({ sft: sink([]), preference: sink([]), trace: sink(emptyTrace) }, {}, { kind: 'all' });
    assert.deepEqual(await empty.recordTree(blanks, row, { runId: 'r', configHash: 'h', startedAt: 0, finishedAt: 1 }), { sft: false, preference: false, belowThreshold: false });
    const bestBlank = blanks.nodes.find((n) => n.reward === 0.5)!.id;
    assert.equal((JSON.parse(emptyTrace[0]!) as TraceRow).best?.nodeId, bestBlank);
    assert.equal(bestResponse(blanks)?.id, bestBlank);
    assert.equal(bestResponse(blanks, { answersOnly: true }), undefined, '"Accept best" has nothing to take');
  });
});

describe("the panel's decisions (accept, edit, pair) write rows in the fine-tuning formats", () => {
  it('for a multi-turn prompt with a system message, in any script', async () => {
    const multi: PromptRow = {
      id: 'm',
      messages: [
        { role: 'system', content: 'Réponds en français.' },
        { role: 'user', content: 'Combien font 6 x 7 ?' },
        { role: 'assistant', content: '42' },
        { role: 'user', content: 'Et 6 x 8 ? 🙂' },
      ],
    };
    const written = { sft: [] as string[], preference: [] as string[], trace: [] as string[] };
    const sink = (lines: string[]) => ({ append: async (more: string[]) => void lines.push(...more) });
    const curator = new Curator({ sft: sink(written.sft), preference: sink(written.preference), trace: sink(written.trace) }, {}, { kind: 'never' });
    const tree = treeWith([0.9, 0.2], ['Quarante-huit (48).', 'Quarante-neuf.']);
    await curator.accept(multi, 'Quarante-huit : 48 ✔');
    await curator.preference(multi, tree, tree.nodes.find((n) => n.reward === 0.9)!.id, tree.nodes.find((n) => n.reward === 0.2)!.id);
    assert.deepEqual(sftProblems(written.sft.map((l) => `${l}\n`).join('')), []);
    assert.deepEqual(preferenceProblems(written.preference.map((l) => `${l}\n`).join('')), []);
    assert.deepEqual(JSON.parse(written.sft[0]!).messages.at(-1), { role: 'assistant', content: 'Quarante-huit : 48 ✔', weight: 1 }, 'the edit, as typed');
    assert.deepEqual(JSON.parse(written.preference[0]!).prompt, multi.messages, 'the whole conversation is the prompt');
  });
});

describe('a prompt the SFT output already answers', () => {
  it('sftPromptKey names the prompt of an SFT line, and nothing for other lines', () => {
    assert.equal(sftPromptKey(JSON.stringify(sftRow(row, '42'))), conversationKey(row.messages));
    for (const line of ['{"messages":', JSON.stringify({ messages: row.messages }), JSON.stringify(preferenceRow(row, '42', '48'))]) assert.equal(sftPromptKey(line), undefined, line);
  });

  it('gets no second SFT row from auto-accept; its trace row says none was derived', async () => {
    const written = { sft: [] as string[], preference: [] as string[], trace: [] as string[] };
    const sink = (lines: string[]) => ({ append: async (more: string[]) => void lines.push(...more) });
    const answered = new Set([conversationKey(row.messages)]);
    const curator = new Curator({ sft: sink(written.sft), preference: sink(written.preference), trace: sink(written.trace) }, {}, { kind: 'all' }, (r) => answered.has(conversationKey(r.messages)));
    const result = await curator.recordTree(treeWith([0.9, 0.1]), row, { runId: 'r', configHash: 'h', startedAt: 0, finishedAt: 1 });
    assert.deepEqual(result, { sft: false, preference: false, belowThreshold: false });
    assert.deepEqual([written.sft.length, written.preference.length, written.trace.length], [0, 0, 1]);
    assert.deepEqual((JSON.parse(written.trace[0]!) as TraceRow).derived, { sft: null, preference: null });
  });
});

describe('pickPreferencePair', () => {
  const descending = (n: number): number[] => Array.from({ length: n }, (_, i) => n - i);

  it('pairs the best with the one ranked N*30/160 by default, as the reference did (30th of 160)', () => {
    assert.equal(defaultRank(160), 30);
    assert.equal(defaultRank(40), 8);
    assert.equal(defaultRank(3), 2);
    assert.equal(defaultRank(2), 2);
    const pair = pickPreferencePair(treeWith(descending(160)))!;
    assert.equal(pair.chosen.reward, 160);
    assert.equal(pair.rejected.reward, 131);
  });

  it('ranks by raw reward, not play order', () => {
    const pair = pickPreferencePair(treeWith([0.1, 0.9, 0.5, 0.7]), { rank: 3 })!;
    assert.deepEqual([pair.chosen.text, pair.rejected.text], ['r1', 'r2']);
    assert.equal(pair.chosen.agent, 'b');
  });

  it('clamps the rank to the last response', () => {
    const pair = pickPreferencePair(treeWith([3, 2, 1]), { rank: 50 })!;
    assert.equal(pair.rejected.reward, 1);
  });

  it('with a margin, takes the highest-ranked response at least that far below chosen', () => {
    const tree = treeWith([1.0, 0.95, 0.8, 0.6, 0.1]);
    assert.equal(pickPreferencePair(tree, { margin: 0.3 })!.rejected.reward, 0.6);
    assert.equal(pickPreferencePair(tree, { margin: 0.3, rank: 2 })!.rejected.reward, 0.6);
    assert.equal(pickPreferencePair(tree, { margin: 2 }), null);
    assert.equal(pickPreferencePair(tree, { margin: 0 })!.rejected.reward, 0.95, 'margin 0: the next best, never chosen itself');
  });

  it('moves down past candidates that tie chosen in reward or text', () => {
    const tree = treeWith([0.9, 0.9, 0.7, 0.5], ['best', 'tie', 'best', 'other']);
    assert.equal(pickPreferencePair(tree, { rank: 2 })!.rejected.text, 'other', 'rank 2 ties in reward, rank 3 in text');
    assert.equal(pickPreferencePair(tree, { margin: 0 })!.rejected.text, 'other');
    assert.equal(pickPreferencePair(tree, { margin: 0.3 })!.rejected.text, 'other');
  });

  it('returns null when there is no informative pair', () => {
    assert.equal(pickPreferencePair(treeWith([])), null);
    assert.equal(pickPreferencePair(treeWith([0.5])), null);
    assert.equal(pickPreferencePair(treeWith([0.5, 0.5])), null, 'a tie in reward');
    assert.equal(pickPreferencePair(treeWith([0.9, 0.2], ['same', 'same'])), null, 'the same text');
    assert.equal(pickPreferencePair(treeWith([0.9, 0.2], ['same', 'same']), { margin: 0 }), null, 'the same text, with a margin');
  });
});

describe('traceRow', () => {
  it('holds the prompt, the whole tree, the best candidate, the config hash and ISO times', () => {
    const tree = treeWith([0.2, 0.8]);
    const trace = traceRow(tree, row, { configHash: 'abc123', runId: 'run-1', startedAt: Date.UTC(2025, 0, 2, 3, 4, 5), finishedAt: Date.UTC(2025, 0, 2, 3, 4, 9) });
    assert.equal(trace.promptId, 'q1');
    assert.deepEqual(Object.keys(trace).slice(0, 2), ['promptId', 'conversation'], 'both in the row\'s head, where readers look');
    assert.equal(trace.conversation, conversationId(row.messages));
    assert.equal(trace.strategy, 'best-of-n');
    assert.deepEqual(trace.messages, row.messages);
    assert.equal(trace.reference, '42');
    assert.equal(trace.best!.text, 'r1');
    assert.equal(trace.configHash, 'abc123');
    assert.equal(trace.runId, 'run-1');
    assert.equal(trace.startedAt, '2025-01-02T03:04:05.000Z');
    assert.equal(trace.finishedAt, '2025-01-02T03:04:09.000Z');
    assert.deepEqual(JSON.parse(JSON.stringify(trace)), trace);
    assert.equal(JSON.stringify(trace).includes('\n'), false);
  });

  it('leaves out absent optional fields and has best null for a tree without responses', () => {
    const trace = traceRow(treeWith([]), { id: 'q2', messages: row.messages }, { configHash: 'h', startedAt: 0, finishedAt: 1 });
    assert.equal(trace.best, null);
    assert.equal('reference' in trace, false);
    assert.equal('runId' in trace, false);
  });
});
