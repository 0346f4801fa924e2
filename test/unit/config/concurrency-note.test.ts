import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concurrencyNotes, parseConfig } from '../../../src/core/config';

const agent = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, baseURL: 'http://127.0.0.1:8808/v1', model: 'sim-large', ...extra });
/** The config sets run.concurrency 32 unless `extra` says otherwise (`run: {}` leaves it unset). */
const notesFor = (agents: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): string[] =>
  concurrencyNotes(parseConfig({ agents, reward: { type: 'reference', check: 'math' }, run: { concurrency: 32 }, ...extra }));

test("says when the agents' maxConcurrency keeps the run below run.concurrency, and what to raise", () => {
  assert.deepEqual(notesFor([agent('a'), agent('b')]), [
    'run.concurrency 32 is more than the agents allow at once (2 agents x maxConcurrency 8 = 16): at most 16 model calls are in flight; raise agents[i].maxConcurrency to use it',
  ]);
  assert.deepEqual(notesFor([agent('a', { maxConcurrency: 16 }), agent('b'), agent('c', { maxConcurrency: 4 })]), [
    'run.concurrency 32 is more than the agents allow at once (maxConcurrency 16 + 8 + 4 = 28): at most 28 model calls are in flight; raise agents[i].maxConcurrency to use it',
  ]);
  assert.deepEqual(notesFor([agent('solo', { maxConcurrency: 1 })], { run: { concurrency: 4 } }), [
    'run.concurrency 4 is more than agents[0] (solo) allows at once (maxConcurrency 1): at most 1 model call is in flight; raise agents[0].maxConcurrency to use it',
  ]);
});

test('nothing to say when the caps reach run.concurrency', () => {
  assert.deepEqual(notesFor([agent('a'), agent('b'), agent('c'), agent('d')]), [], '4 x 8 = 32');
  assert.deepEqual(notesFor([agent('a'), agent('b')], { run: { concurrency: 16 } }), []);
  assert.deepEqual(notesFor([agent('a', { maxConcurrency: 32 })]), []);
});

test('best-of-n and PRS call one agent: its cap alone counts', () => {
  const agents = [agent('a'), agent('b', { maxConcurrency: 20 }), agent('c'), agent('d')];
  assert.deepEqual(notesFor(agents, { search: { strategy: 'prs', agent: 'b' } }), [
    'run.concurrency 32 is more than agents[1] (b), the one agent prs calls, allows at once (maxConcurrency 20): at most 20 model calls are in flight; raise agents[1].maxConcurrency to use it',
  ]);
  assert.match(notesFor(agents, { search: { strategy: 'best-of-n' } })[0]!, /agents\[0\] \(a\), the one agent best-of-n calls, allows at once \(maxConcurrency 8\)/);
  assert.deepEqual(notesFor(agents, { search: { strategy: 'ensemble' } }), [], 'the ensemble calls all four: 8 + 20 + 8 + 8');
});

test('a rate limit on every agent the run calls throttles on purpose: no note', () => {
  assert.deepEqual(notesFor([agent('a', { requestsPerMinute: 60 }), agent('b', { requestsPerMinute: 600 })]), []);
  assert.equal(notesFor([agent('a', { requestsPerMinute: 60 }), agent('b')]).length, 1, 'one agent is not rate-limited');
  assert.deepEqual(notesFor([agent('a', { requestsPerMinute: 60 }), agent('b')], { search: { strategy: 'best-of-n' } }), [], 'best-of-n calls the rate-limited one alone');
});

test('nothing to say about a run.concurrency the config leaves unset: the user asked for no number of calls', () => {
  assert.deepEqual(notesFor([agent('a'), agent('b')], { run: {} }), [], 'the default 32 is more than 2 x 8, but no one set it');
  assert.deepEqual(notesFor([agent('solo', { maxConcurrency: 1 })], { run: {} }), []);
  assert.equal(notesFor([agent('a'), agent('b')], { run: { concurrency: 17 } }).length, 1, 'set: noted');
});
