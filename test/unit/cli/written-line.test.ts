import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WrittenRows } from '../../../src/cli/written-line';
import type { PromptRow } from '../../../src/core/chat';
import { Curator, type AutoAccept } from '../../../src/core/curation';
import { addNode, createTree, ROOT } from '../../../src/core/search/tree';

const row: PromptRow = { id: 'q', messages: [{ role: 'user', content: 'What is 6 x 7?' }] };
const info = { runId: 'r', configHash: 'h', startedAt: 0, finishedAt: 1 };

/** A finished search with these answers and rewards. */
function tree(answers: ReadonlyArray<readonly [text: string, reward: number]>) {
  const searched = createTree('q', 'best-of-n', ['a'], answers.length);
  const agent = addNode(searched, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  answers.forEach(([text, reward], i) => addNode(searched, agent.id, { kind: 'response', agent: 0, text, reward, own: reward, play: i + 1 }));
  searched.plays = answers.length;
  return searched;
}

test('toa run counts as left out by output.autoAcceptAbove only the best answers under it, not a search whose answers were all blank', async () => {
  const autoAccept: AutoAccept = { kind: 'above', threshold: 0.5 };
  const sink = { append: async () => undefined };
  const curator = new Curator({ sft: sink, preference: sink, trace: sink }, {}, autoAccept);
  const written = new WrittenRows();
  for (const answers of [[['42', 0.9], ['41', 0.1]], [['41', 0.2]], [['', 0.95], [' ', 0.8]]] as const) {
    written.add(await curator.recordTree(tree(answers), row, info));
  }
  assert.equal(written.line(autoAccept), 'written: 3 trace rows, 1 SFT row, 1 preference pair; 1 best answer not accepted (output.autoAcceptAbove is 0.5): no SFT row or pair');
  const blankOnly = new WrittenRows();
  blankOnly.add(await curator.recordTree(tree([['', 0.95]]), row, info));
  assert.equal(blankOnly.line(autoAccept), 'written: 1 trace row, 0 SFT rows, 0 preference pairs');
});
