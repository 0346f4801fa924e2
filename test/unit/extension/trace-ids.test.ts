import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conversationId, type ChatMessage } from '../../../src/core';
import { lastTraceRow } from '../../../src/extension/trace-ids';

/** A trace row's fields in the writer's order (id, conversation first); the tree is left out. */
function traceLine(promptId: string, prompt: string, runId?: string): string {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  return JSON.stringify({ promptId, conversation: conversationId(messages), strategy: 'toa', messages, ...(runId ? { runId } : {}) });
}

describe('trace rows read in the editor', () => {
  // Two files without ids, run one after the other: both have a row `line-3`.
  const text = [traceLine('line-3', 'from a.jsonl', 'run-a'), traceLine('line-3', 'from b.jsonl', 'run-b'), ''].join('\n');
  const promptOf = (row: { messages: ChatMessage[] } | undefined): string | undefined => row?.messages[0]?.content;

  test("with a run id, the row of that run, not the newest row with the prompt's id", () => {
    assert.equal(promptOf(lastTraceRow(text, (h) => h.id === 'line-3', 'run-a')), 'from a.jsonl');
    assert.equal(promptOf(lastTraceRow(text, (h) => h.id === 'line-3', 'run-b')), 'from b.jsonl');
    assert.equal(lastTraceRow(text, (h) => h.id === 'line-3', 'run-c'), undefined);
  });

  test('without a run id the newest row wins; rows written before runs were named match any run', () => {
    assert.equal(promptOf(lastTraceRow(text, (h) => h.id === 'line-3')), 'from b.jsonl');
    const legacy = traceLine('line-3', 'older', undefined);
    assert.equal(promptOf(lastTraceRow(legacy, (h) => h.id === 'line-3', 'run-a')), 'older');
  });

  test('a row a crash cut short is passed over for the one before it', () => {
    const cut = traceLine('line-3', 'from b.jsonl', 'run-b').slice(0, -20);
    assert.equal(promptOf(lastTraceRow(`${traceLine('line-3', 'from b.jsonl', 'run-a')}\n${cut}`, (h) => h.id === 'line-3')), 'from b.jsonl');
    assert.equal(lastTraceRow(cut, (h) => h.id === 'line-3'), undefined);
  });

});
