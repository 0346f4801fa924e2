import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopHint, withStopHint } from '../../../src/extension/stop-hint';

test('after a file run, the hint says Synthesize File goes on where the run stopped', () => {
  assert.equal(stopHint({ end: 'cancel', done: 2, resume: true, source: 'data/prompts.jsonl' }), 'The outputs hold the 2 prompts done before the cancel; Synthesize File on data/prompts.jsonl goes on where this run stopped, skipping the prompts already in the trace.');
  assert.equal(stopHint({ end: 'stop', done: 0, resume: true, source: 'prompts.jsonl' }), 'Nothing was written; once its cause is fixed, Synthesize File on prompts.jsonl goes on where this run stopped, skipping the prompts already in the trace.');
});

test('after a selection, the hint says running it again searches the prompts done too, and how to skip them', () => {
  assert.equal(stopHint({ end: 'stop', done: 1, resume: false, source: 'prompts.jsonl lines 1-5' }), 'The outputs hold the 1 prompt done before the stop; Synthesize Selection would search it again, as it searches a selection in full: once its cause is fixed, select only the prompts left, or run Synthesize File, which skips the prompts already in the trace (over the whole file).');
  assert.match(stopHint({ end: 'cancel', done: 3, resume: false, source: 'prompts.jsonl lines 1-5' }), /^The outputs hold the 3 prompts done before the cancel; Synthesize Selection would search them again, as it searches a selection in full: select only/);
  assert.equal(stopHint({ end: 'cancel', done: 0, resume: false, source: 'prompts.jsonl line 2' }), 'Nothing was written; Synthesize Selection searches it again.');
});

test('the error that stopped a run keeps its message, then the hint, and keeps the error as its cause', () => {
  const error = new Error('agent "a": 401 Invalid API key. The run stops.');
  const stopped = withStopHint(error, 'Nothing was written.');
  assert.equal(stopped.message, 'agent "a": 401 Invalid API key. The run stops. Nothing was written.');
  assert.equal(stopped.cause, error);
  assert.equal(withStopHint('connection refused', 'Nothing was written.').message, 'connection refused. Nothing was written.');
});
