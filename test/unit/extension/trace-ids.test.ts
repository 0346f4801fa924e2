import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conversationId, type ChatMessage } from '../../../src/core';
import { lastTraceRow as lastOfLines, type TraceHead } from '../../../src/extension/trace-ids';

const lastTraceRow = (text: string, matches: (head: TraceHead) => boolean, runId?: string): ReturnType<typeof lastOfLines> => lastOfLines(text.split('\n'), matches, runId);

/** A trace row's fields in the writer's order (id, conversation first); the tree is left out. */
function traceLine(promptId: string, prompt: string, runId?: string): string {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  return JSON.stringify({ promptId, conversation: conversationId(messages), strategy: 'toa', messages, ...(runId ? { runId } : {}) });
}

describe('trace rows read in the editor', () => {
  // Two files without ids, run one after the other: both have a row `line-3`.
  const text = [traceLine('line-3', 'from a.jsonl', 'run-a'), traceLine('line-3', 'from b.jsonl', 'run-b'), ''].join('\n');
  const promptOf = (row: { messages: ChatMessage[] } | undefined): string | undefined => row?.messages[0]?.content;

  test("with a run id, the row of that run, not the newest row with the prompt's id", async () => {
    assert.equal(promptOf(await lastTraceRow(text, (h) => h.id === 'line-3', 'run-a')), 'from a.jsonl');
    assert.equal(promptOf(await lastTraceRow(text, (h) => h.id === 'line-3', 'run-b')), 'from b.jsonl');
    assert.equal(await lastTraceRow(text, (h) => h.id === 'line-3', 'run-c'), undefined);
  });

  test('without a run id the newest row wins; rows written before runs were named match any run', async () => {
    assert.equal(promptOf(await lastTraceRow(text, (h) => h.id === 'line-3')), 'from b.jsonl');
    const legacy = traceLine('line-3', 'older', undefined);
    assert.equal(promptOf(await lastTraceRow(legacy, (h) => h.id === 'line-3', 'run-a')), 'older');
  });

  test('a row a crash cut short is passed over for the one before it', async () => {
    const cut = traceLine('line-3', 'from b.jsonl', 'run-b').slice(0, -20);
    assert.equal(promptOf(await lastTraceRow(`${traceLine('line-3', 'from b.jsonl', 'run-a')}\n${cut}`, (h) => h.id === 'line-3')), 'from b.jsonl');
    assert.equal(await lastTraceRow(cut, (h) => h.id === 'line-3'), undefined);
  });


  test('a big trace is read as a stream of lines, not as one text: only the rows of the prompt are parsed', async () => {
    let pulled = 0;
    async function* lines(): AsyncGenerator<string> {
      for (let i = 0; i < 500; i++) {
        pulled++;
        // Other prompts' rows need not even parse: their head says they are not this prompt's.
        yield i === 250 ? traceLine('line-3', 'wanted', 'run-a') : `${traceLine(`other-${i}`, 'x').slice(0, -1)},"tree": {"nodes": [`;
      }
    }
    assert.equal(promptOf(await lastOfLines(lines(), (h) => h.id === 'line-3')), 'wanted');
    assert.equal(pulled, 500);
  });
});
