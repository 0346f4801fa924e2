import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curationHint, otherConfigNote, skippedPart } from '../../../src/extension/run-report-text';

test('a resume that skipped prompts another configuration searched says so, and how to search them again', () => {
  assert.equal(skippedPart(4, 1, 3, 'data/traces.jsonl'), ', 4 skipped (already in data/traces.jsonl, 3 of them from another configuration: Synthesize Selection on their lines searches them again)');
  assert.equal(otherConfigNote(1, 'data/traces.jsonl'), '1 prompt skipped as already done was searched under another configuration (search, agents or reward changed since, or the built-in simulated endpoints answered): data/traces.jsonl holds its search. Synthesize Selection on its line searches it again, or set other outputs.');
});

test('a resume that searched nothing says how to search again; one that searched some does not', () => {
  assert.equal(skippedPart(4, 0, 0, 'data/traces.jsonl'), ', 4 skipped (already in data/traces.jsonl: Synthesize Selection on their lines searches them again)');
  assert.equal(skippedPart(3, 2, 0, 'data/traces.jsonl'), ', 3 skipped (already in data/traces.jsonl)');
  assert.equal(skippedPart(0, 2, 0, 'data/traces.jsonl'), '');
});

test('a run that curates by hand says where its answers go once accepted, when it has any', () => {
  assert.equal(curationHint(2, 'data/sft.jsonl'), ' Accept or reject the answers in the panel: data/sft.jsonl gets a row for each one you accept.');
  assert.equal(curationHint(0, 'data/sft.jsonl'), '');
});
