import { fileUri, shownMessages } from './vscode-stub';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { beforeEach, test } from 'node:test';
import { lockOutputs, traceRow, type PromptRow, type SearchTree } from '../../../src/core';
import { CurationService, type CurationTarget } from '../../../src/extension/curation-service';
import { RejectedSearches } from '../../../src/extension/rejected-searches';
import { SinkRegistry, WorkspaceLineSink } from '../../../src/extension/workspace-sink';
import type { PromptStatus, ShownSearch } from '../../../src/shared/protocol';
import { tempDir } from '../dataset/temp-dir';

const dir = tempDir('toa-curation-');

/** The panel as the host holds it: the run shown, and its trees and statuses by prompt id. */
interface Panel {
  runId: string;
  trees: Record<string, SearchTree>;
  /** Trees Show tree put in the panel: their search. */
  shown?: Record<string, ShownSearch>;
}

function treeAnswering(promptId: string, text: string): SearchTree {
  return {
    promptId,
    strategy: 'toa',
    agents: ['a'],
    budget: 1,
    plays: 1,
    nodes: [
      { id: 0, parent: null, kind: 'root', layer: 0, children: [1], values: [], visits: 1 },
      { id: 1, parent: 0, kind: 'response', layer: 1, text, reward: 0.9, children: [], values: [0.9], visits: 1, agent: 0 },
    ],
  };
}

function row(id: string, content: string): PromptRow {
  return { id, messages: [{ role: 'user', content }] };
}

function targetIn(folder: string): CurationTarget {
  const uri = (name: string) => fileUri(dir(folder, name));
  return {
    output: { sft: 'sft.jsonl', preference: 'preference.jsonl', trace: 'trace.jsonl' },
    outputs: { sft: uri('sft.jsonl'), preference: uri('preference.jsonl'), trace: uri('trace.jsonl') },
    outputFields: { sft: 'output.sft', preference: 'output.preference', trace: 'output.trace' },
  };
}

/** `target`: the outputs of a prompt this session did not run (the last run's folder). */
function curationOf(panel: Panel, statuses: { promptId: string; status: PromptStatus; reason?: string }[], target?: CurationTarget, sinks = new SinkRegistry(() => undefined), rejected = rejectedInMemory()): CurationService {
  return new CurationService({
    sinks,
    treeOf: (id, runId) => (runId === panel.runId ? panel.trees[id] : undefined),
    statusOf: (id, runId) => (runId === panel.runId && panel.trees[id] ? 'done' : undefined),
    shownOf: (id, runId) => (runId === panel.runId ? panel.shown?.[id] : undefined),
    postStatus: (promptId, _runId, status, reason) => void statuses.push({ promptId, status, ...(reason === undefined ? {} : { reason }) }),
    target: async () => target,
    rejected,
  });
}

function rejectedInMemory(): RejectedSearches {
  const state = new Map<string, unknown>();
  return new RejectedSearches({ get: <T>(key: string) => state.get(key) as T, update: async (key, value) => void state.set(key, value) });
}

async function sftRows(folder: string): Promise<{ messages: { role: string; content: string }[] }[]> {
  const text = await readFile(dir(folder, 'sft.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { messages: { role: string; content: string }[] });
}

beforeEach(() => void (shownMessages.length = 0));

test("Accept on the run shown writes that run's prompt with its answer, though the next run (same prompt ids) remembered its rows and never started", async () => {
  // Run A (a.jsonl, rows without ids) is shown; run B (b.jsonl) remembered its rows, then failed
  // before its run-start (its outputs locked by a `toa run`, say): the panel still shows run A.
  const panel: Panel = { runId: 'run-a', trees: { 'line-1': treeAnswering('line-1', 'Paris') } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, statuses);
  curation.rememberRun('run-a', [row('line-1', 'What is the capital of France?')], targetIn('a'));
  curation.rememberRun('run-b', [row('line-1', 'Write a haiku about cats.')], targetIn('b'));

  await curation.handle({ type: 'accept', runId: 'run-a', promptId: 'line-1', nodeId: 1 });

  assert.deepEqual(shownMessages, []);
  assert.deepEqual(statuses.map((s) => s.status), ['accepted']);
  const [written, ...more] = await sftRows('a');
  assert.deepEqual(more, []);
  assert.deepEqual(written?.messages.map((m) => [m.role, m.content]), [['user', 'What is the capital of France?'], ['assistant', 'Paris']], "run A's prompt, with run A's answer, in run A's outputs");
});

test('a second Accept of a prompt writes no second SFT row: it is refused, saying why, and the prompt keeps its status for another try', async () => {
  // The panel closes Accept once a prompt is accepted; another window, or a panel whose status is
  // behind the file, can still ask.
  const panel: Panel = { runId: 'run-a', trees: { p1: treeAnswering('p1', 'Paris') } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, statuses);
  curation.rememberRun('run-a', [row('p1', 'What is the capital of France?')], targetIn('twice'));
  await curation.handle({ type: 'accept', runId: 'run-a', promptId: 'p1', nodeId: 1 });
  await curation.handle({ type: 'accept', runId: 'run-a', promptId: 'p1', nodeId: 1, text: 'Paris, France' });
  assert.equal((await sftRows('twice')).length, 1);
  assert.deepEqual(statuses.map((s) => s.status), ['accepted', 'done']);
  assert.match(statuses[1]!.reason ?? '', /^not saved: it already has an SFT row in .*sft\.jsonl; edit that file to change it$/);
});

test('Accept after Reject changes the decision: the SFT row is written and the rejection is no longer on record', async () => {
  const panel: Panel = { runId: 'run-a', trees: { p1: treeAnswering('p1', 'Paris') } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const rejected = rejectedInMemory();
  const curation = curationOf(panel, statuses, undefined, undefined, rejected);
  curation.rememberRun('run-a', [row('p1', 'What is the capital of France?')], targetIn('changed'));
  await curation.handle({ type: 'reject', runId: 'run-a', promptId: 'p1' });
  assert.equal(rejected.has({ runId: 'run-a', promptId: 'p1' }), true);
  await curation.handle({ type: 'accept', runId: 'run-a', promptId: 'p1', nodeId: 1 });
  assert.deepEqual(statuses.map((s) => s.status), ['rejected', 'accepted']);
  assert.equal((await sftRows('changed')).length, 1);
  assert.equal(rejected.has({ runId: 'run-a', promptId: 'p1' }), false, 'Show tree would read it rejected beside its row');
});

test("a compared strategy's run finds the comparison's rows, not the next run's of the same ids", async () => {
  const panel: Panel = { runId: 'cmp-moa', trees: { 'line-1': treeAnswering('line-1', 'Paris') } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, statuses);
  curation.rememberRun('cmp', [row('line-1', 'What is the capital of France?')], targetIn('cmp'), ['cmp-toa', 'cmp-moa']);
  curation.rememberRun('run-b', [row('line-1', 'Write a haiku about cats.')], targetIn('b'));

  await curation.handle({ type: 'accept', runId: 'cmp-moa', promptId: 'line-1', nodeId: 1 });

  assert.deepEqual(shownMessages, []);
  assert.deepEqual((await sftRows('cmp')).map((r) => r.messages[0]?.content), ['What is the capital of France?']);
});

test("a prompt of the run shown that this session did not remember is read from the run's own trace row, not paired with another run's row", async () => {
  // After a window reload run A is shown again; this session ran only run B (same ids, failed).
  const panel: Panel = { runId: 'run-a', trees: { 'line-1': treeAnswering('line-1', 'Paris') } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, statuses);
  curation.rememberRun('run-b', [row('line-1', 'Write a haiku about cats.')], targetIn('b'));

  await curation.handle({ type: 'accept', runId: 'run-a', promptId: 'line-1', nodeId: 1 });

  // Run A's outputs are unknown here (target() finds no folder): nothing is written anywhere.
  assert.deepEqual(statuses.map((s) => [s.status, s.reason]), [['done', 'not saved: open a workspace folder to write outputs']]);
  await assert.rejects(readFile(dir('b', 'sft.jsonl')), { code: 'ENOENT' }, "run B's outputs get nothing");
});

test("after a window reload, a tree Show tree put in the panel is decided on with the search it came from, which the panel kept", async () => {
  // Run r is shown, and b.jsonl's line-1 (searched by run b) beside it; nothing is remembered.
  const tree = treeAnswering('line-1', 'Paris');
  await mkdir(dir('ws'), { recursive: true });
  const traced = (id: string, content: string, runId: string): string => JSON.stringify(traceRow(tree, row(id, content), { configHash: 'h', runId, startedAt: 0, finishedAt: 1 }));
  await writeFile(dir('ws', 'trace.jsonl'), [traced('line-1', 'What is the capital of France?', 'b'), traced('line-1', 'Write a haiku about cats.', 'r')].join('\n') + '\n');
  const panel: Panel = { runId: 'r', trees: { 'line-1 (b.jsonl)': { ...tree, promptId: 'line-1 (b.jsonl)' } }, shown: { 'line-1 (b.jsonl)': { promptId: 'line-1', runId: 'b' } } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, statuses, targetIn('ws'));

  await curation.handle({ type: 'accept', runId: 'r', promptId: 'line-1 (b.jsonl)', nodeId: 1 });

  assert.deepEqual(statuses.map((s) => s.status), ['accepted'], statuses[0]?.reason);
  assert.deepEqual((await sftRows('ws')).map((r) => r.messages[0]?.content), ['What is the capital of France?'], "run b's prompt, not run r's line-1");
});

test('decisions on one set of outputs are written one at a time, each under the lock, and a run of this window waits for them', async () => {
  const panel: Panel = { runId: 'run-a', trees: { p1: treeAnswering('p1', 'one'), p2: treeAnswering('p2', 'two') } };
  const target = targetIn('together');
  const lock = `${target.outputs.trace.fsPath}.lock`;
  // Whether the outputs' lock was there as each decision was said saved (still inside its write).
  const locked: boolean[] = [];
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, { push: (s: (typeof statuses)[number]) => (locked.push(existsSync(lock)), statuses.push(s)) } as unknown as typeof statuses);
  curation.rememberRun('run-a', [row('p1', 'first'), row('p2', 'second')], target);

  const both = Promise.all(['p1', 'p2'].map((promptId) => curation.handle({ type: 'accept', runId: 'run-a', promptId, nodeId: 1 })));
  // A run taking the lock now finds it free (before, the second decision wrote without a lock of
  // its own, and a run starting then found the first's, or took it while the second still wrote).
  const run = await curation.lockForRun(target, () => (assert.equal(existsSync(lock), false, 'no decision holds the lock once they are saved'), lockOutputs(target.outputs.trace.fsPath, 'run-b')));
  run.lock?.release();
  await both;
  assert.deepEqual(statuses.map((s) => s.status), ['accepted', 'accepted']);
  assert.deepEqual(locked, [true, true], 'each decision wrote holding the lock');
  assert.deepEqual((await sftRows('together')).map((r) => r.messages[0]?.content).sort(), ['first', 'second']);
});

test('a tree Show tree put in the panel while a comparison is shown is decided on with the outputs it was read from', async () => {
  const panel: Panel = { runId: 'cmp-moa', trees: { 'shown-1': treeAnswering('shown-1', 'Paris') } };
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const curation = curationOf(panel, statuses);
  curation.rememberRun('cmp', [row('line-1', 'Write a haiku about cats.')], targetIn('cmp'), ['cmp-toa', 'cmp-moa']);
  curation.remember('cmp-moa', row('shown-1', 'What is the capital of France?'), targetIn('shown'), { runId: 'earlier', promptId: 'p1' });

  await curation.handle({ type: 'accept', runId: 'cmp-moa', promptId: 'shown-1', nodeId: 1 });

  assert.deepEqual(statuses.map((s) => s.status), ['accepted']);
  assert.deepEqual((await sftRows('shown')).map((r) => r.messages[0]?.content), ['What is the capital of France?']);
});

/** The SFT sink holds every append until `open` is called; `arrived` resolves at the nth append (1-based). */
function gatedSft(): { sinks: SinkRegistry; open(): void; arrived(n: number): Promise<void> } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const arrivals: (() => void)[] = [];
  const waits = [1, 2, 3].map((n) => new Promise<void>((resolve) => (arrivals[n] = resolve)));
  let appends = 0;
  class GatedSink extends WorkspaceLineSink {
    override append(lines: string[]): Promise<void> {
      arrivals[++appends]?.();
      return gate.then(() => super.append(lines));
    }
  }
  const plain = new SinkRegistry(() => undefined);
  const sft = new Map<string, WorkspaceLineSink>();
  const get = (uri: ReturnType<typeof fileUri>, field: string): WorkspaceLineSink => {
    if (field !== 'output.sft') return plain.get(uri, field);
    if (!sft.has(uri.toString())) sft.set(uri.toString(), new GatedSink(uri, () => undefined, field));
    return sft.get(uri.toString())!;
  };
  return { sinks: { get } as unknown as SinkRegistry, open: () => open(), arrived: (n) => waits[n - 1]! };
}

test("Accept while this window's run restores a crashed run's rows waits for them, and finds the prompt's restored SFT row", async () => {
  // Before a window reload, run `crashed` auto-accepted p1: its trace row names its SFT row, which
  // the crash kept from the disk. The reloaded panel shows the run, p1 not yet accepted.
  const tree = treeAnswering('p1', 'Paris');
  const prompt = row('p1', 'What is the capital of France?');
  const target = targetIn('restore');
  await mkdir(dir('restore'), { recursive: true });
  await writeFile(target.outputs.trace.fsPath, `${JSON.stringify(traceRow(tree, prompt, { configHash: 'h', runId: 'crashed', startedAt: 0, finishedAt: 1 }, { sft: 1, preference: null }))}\n`);
  const dead = spawn(process.execPath, ['-e', '0']);
  await once(dead, 'exit');
  await writeFile(`${target.outputs.trace.fsPath}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), started: 'then', runId: 'crashed' }));
  const statuses: { promptId: string; status: PromptStatus; reason?: string }[] = [];
  const sft = gatedSft();
  const curation = curationOf({ runId: 'crashed', trees: { p1: tree } }, statuses, target, sft.sinks);

  // The next run takes the lock over and restores p1's row, whose write is held back...
  const run = curation.lockForRun(target, () => lockOutputs(target.outputs.trace.fsPath, 'next'));
  await sft.arrived(1);
  // ...while the user accepts p1. Before, the decision read the SFT output then, without the row,
  // and wrote one of its own: released now, the two writes gave p1 two rows.
  const decision = curation.handle({ type: 'accept', runId: 'crashed', promptId: 'p1', nodeId: 1 });
  await Promise.race([sft.arrived(2), new Promise((resolve) => setTimeout(resolve, 100))]);
  sft.open();
  const { lock, recovered } = await run;
  await decision;
  lock?.release();

  assert.match(recovered ?? '', /recovered 1 SFT row/);
  assert.deepEqual((await sftRows('restore')).map((r) => r.messages.map((m) => m.content)), [['What is the capital of France?', 'Paris']], 'one SFT row for p1');
  assert.deepEqual(statuses.map((s) => [s.status, s.reason]), [['done', `not saved: it already has an SFT row in ${target.outputs.sft.fsPath}; edit that file to change it`]]);
});
