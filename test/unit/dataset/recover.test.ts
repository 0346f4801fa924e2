import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { heldLock } from './held-lock';
import { tempDir } from './temp-dir';
import { Curator } from '../../../src/core/curation';
import type { OutputPaths } from '../../../src/core/dataset/output-marks';
import { markOutputs } from '../../../src/core/dataset/output-marks';
import { recoverDerivedRows } from '../../../src/core/dataset/recover';
import { readTailLines } from '../../../src/core/dataset/tail-lines';
import { openJsonlAppender } from '../../../src/core/dataset/writer';
import { addNode, createTree, ROOT } from '../../../src/core/search/tree';
import type { SearchTree } from '../../../src/shared/tree';

const inDir = tempDir('toa-recover-');
const held = heldLock(inDir);

function tree(id: string, rewards: number[]): SearchTree {
  const t = createTree(id, 'best-of-n', ['a'], rewards.length);
  const agent = addNode(t, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  rewards.forEach((reward, i) => addNode(t, agent.id, { kind: 'response', agent: 0, text: `${id} answer ${i}`, reward, own: reward, play: i + 1 }));
  t.plays = rewards.length;
  return t;
}

const outputsIn = (name: string): OutputPaths => ({ sft: inDir(name, 'sft.jsonl'), preference: inDir(name, 'preference.jsonl'), trace: inDir(name, 'trace.jsonl') });

/** Five prompts through the real Curator and appenders, as a run stores them. */
async function storedRun(name: string): Promise<OutputPaths> {
  const paths = outputsIn(name);
  await store(paths, 'r1');
  return paths;
}

/** Appends run `runId`'s rows for the same five prompts and answers to `paths`. */
async function store(paths: OutputPaths, runId: string): Promise<void> {
  const onRepair = (): void => assert.fail('no repair expected');
  const [sft, preference, trace] = await Promise.all([paths.sft, paths.preference, paths.trace].map((p) => openJsonlAppender(p, { repair: { lock: held(), onRepair } })));
  const curator = new Curator({ sft: sft!, preference: preference!, trace: trace! }, { preferenceRank: 2 }, { kind: 'above', threshold: 0.5 });
  for (let i = 0; i < 5; i++) {
    const id = `p${i}`;
    // p1's best is below the threshold: its trace row names no derived rows.
    const rewards = i === 1 ? [0.1, 0.3] : [0.9, 0.2, 0.6];
    await curator.recordTree(tree(id, rewards), { id, messages: [{ role: 'user', content: `question ${i}` }] }, { runId, configHash: 'h', startedAt: 0, finishedAt: 1 });
  }
  await Promise.all([sft, preference, trace].map((a) => a!.close()));
}

/** The crash: the last SFT row and the last two pairs (p3's and p4's) never reached the disk. Returns what was cut. */
async function cutOff(paths: OutputPaths): Promise<{ sft: string[]; preference: string[] }> {
  const sft = await lines(paths.sft);
  const pairs = await lines(paths.preference);
  await writeFile(paths.sft, sft.slice(0, -1).map((l) => `${l}\n`).join(''));
  await writeFile(paths.preference, pairs.slice(0, -2).map((l) => `${l}\n`).join(''));
  return { sft: sft.slice(-1), preference: pairs.slice(-2) };
}

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean);
}

describe('recoverDerivedRows', () => {
  it('a run that wrote everything needs nothing', async () => {
    const paths = await storedRun('whole');
    assert.equal((await lines(paths.trace)).length, 5);
    assert.equal((await lines(paths.sft)).length, 4, 'p1 was not accepted');
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [], preference: [] });
  });

  it('rebuilds, line for line, the rows a crash cut off after their trace rows, and only those', async () => {
    const paths = await storedRun('crashed');
    const cut = await cutOff(paths);
    const recovered = await recoverDerivedRows(paths, { runIds: ['r1'] });
    assert.deepEqual(recovered, cut);
    assert.match(recovered.sft[0]!, /p4 answer 0/);
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['another-run'] }), { sft: [], preference: [] }, 'only the run that crashed: rows of other runs a user deleted stay deleted');
    // The run that took r1's lock over died before restoring them: the next one names both.
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['took-over', 'r1'] }), recovered);
  });

  it("restores a row an older run wrote identically (a run with --fresh): the crashed run's marks say where its own rows begin", async () => {
    const paths = outputsIn('fresh');
    await store(paths, 'r0');
    const from = markOutputs(paths);
    await store(paths, 'r1');
    const cut = await cutOff(paths);
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'], from }), cut);
    // A lock an earlier version wrote has no marks: its last rows are read, whoever wrote them, as
    // that version read them (r0's copies then stand for the rows r1 did not write).
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [], preference: [] });
  });

  it('falls back to the last rows when a file was truncated or edited above the mark since the crash: nothing is written twice', async () => {
    const older = (content: string): string => `${JSON.stringify({ messages: [{ role: 'user', content: 'older' }, { role: 'assistant', content }] })}\n`;
    // Removing a long older row leaves the file shorter than the mark; a short one, longer (the bytes before the mark then differ).
    for (const [name, row] of [['truncated', older('x'.repeat(5000))], ['edited', older('x')]] as const) {
      const paths = outputsIn(name);
      await mkdir(inDir(name), { recursive: true });
      await writeFile(paths.sft, row);
      const from = markOutputs(paths);
      await store(paths, 'r1');
      const cut = await cutOff(paths);
      // The user removes the older row after the crash.
      await writeFile(paths.sft, (await readFile(paths.sft, 'utf8')).slice(row.length));
      assert.ok(name === 'truncated' ? statSync(paths.sft).size < from.sft.bytes : statSync(paths.sft).size > from.sft.bytes, name);
      assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'], from }), cut, name);
    }
  });

  it('reads the first row of an output an editor saved with a byte-order mark as a row, so it is not written twice', async () => {
    const paths = await storedRun('bom');
    for (const path of [paths.sft, paths.preference]) await writeFile(path, `\uFEFF${await readFile(path, 'utf8')}`);
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [], preference: [] });
  });

  it('recognises a written row whose answer holds a Unicode line separator (written escaped)', async () => {
    const paths = { sft: inDir('u2028', 'sft.jsonl'), preference: inDir('u2028', 'p.jsonl'), trace: inDir('u2028', 't.jsonl') };
    const [sft, preference, trace] = await Promise.all([paths.sft, paths.preference, paths.trace].map((p) => openJsonlAppender(p, { repair: { lock: held(), onRepair: () => assert.fail('no repair expected') } })));
    const curator = new Curator({ sft: sft!, preference: preference!, trace: trace! }, {}, { kind: 'all' });
    const searched = tree('p0', [0.5]);
    searched.nodes[2]!.text = 'line one\u2028line two';
    await curator.recordTree(searched, { id: 'p0', messages: [{ role: 'user', content: 'q\u2029' }] }, { runId: 'r1', configHash: 'h', startedAt: 0, finishedAt: 1 });
    await Promise.all([sft, preference, trace].map((a) => a!.close()));
    assert.match((await lines(paths.sft))[0]!, /line one\\u2028line two/);
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [], preference: [] });
  });

  it('recognises rows an earlier version wrote in its own row format (no weight, raw line separators)', async () => {
    const paths = await storedRun('old-format');
    const asBefore = (path: string, strip: (row: Record<string, unknown>) => unknown): Promise<void> =>
      lines(path).then((rows) => writeFile(path, rows.map((l) => `${JSON.stringify(strip(JSON.parse(l) as Record<string, unknown>))}\n`).join('')));
    await asBefore(paths.sft, (row) => ({ messages: (row.messages as Array<Record<string, unknown>>).map(({ weight: _weight, ...m }) => m) }));
    await asBefore(paths.preference, (row) => ({ rejected: row.rejected, chosen: row.chosen, prompt: row.prompt }));
    assert.doesNotMatch(await readFile(paths.sft, 'utf8'), /weight/);
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [], preference: [] });
    // Still by content: a row that says something else does not stand for the missing one.
    const sft = await lines(paths.sft);
    await writeFile(paths.sft, [...sft.slice(0, -1), sft.at(-1)!.replace('p4 answer 0', 'p4 answer, edited')].map((l) => `${l}\n`).join(''));
    assert.equal((await recoverDerivedRows(paths, { runIds: ['r1'] })).sft.length, 1);
  });

  it('restores the row of a repeated prompt whose answer matches the row written for its first copy', async () => {
    // fast-check's counterexample: the same messages under two ids, the same best answer; the
    // crash came after the second trace row. The first copy's row stood for both.
    const paths = { sft: inDir('repeat', 'sft.jsonl'), preference: inDir('repeat', 'p.jsonl'), trace: inDir('repeat', 't.jsonl') };
    const [sft, preference, trace] = await Promise.all([paths.sft, paths.preference, paths.trace].map((p) => openJsonlAppender(p, { repair: { lock: held(), onRepair: () => assert.fail('no repair expected') } })));
    const curator = new Curator({ sft: sft!, preference: preference!, trace: trace! }, {}, { kind: 'all' });
    for (const id of ['p0', 'p1']) {
      const searched = tree(id, [0.5]);
      searched.nodes[2]!.text = 'same answer';
      await curator.recordTree(searched, { id, messages: [{ role: 'user', content: 'same question' }] }, { runId: 'r1', configHash: 'h', startedAt: 0, finishedAt: 1 });
    }
    await Promise.all([sft, preference, trace].map((a) => a!.close()));
    const written = await lines(paths.sft);
    await writeFile(paths.sft, `${written[0]}\n`);
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [written[1]], preference: [] });
  });

  it('trace rows from before `derived` existed, and missing files, give nothing', async () => {
    const paths = { sft: inDir('old', 'sft.jsonl'), preference: inDir('old', 'p.jsonl'), trace: inDir('old', 't.jsonl') };
    assert.deepEqual(await recoverDerivedRows(paths, { runIds: ['r1'] }), { sft: [], preference: [] });
    const old = await storedRun('old-rows');
    const traces = (await lines(old.trace)).map((l) => {
      const { derived: _derived, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify(rest);
    });
    await writeFile(old.trace, traces.map((l) => `${l}\n`).join('') + '{"promptId":"p9","deri');
    await writeFile(old.sft, '');
    assert.deepEqual(await recoverDerivedRows(old, { runIds: ['r1'] }), { sft: [], preference: [] });
  });
});

describe('readTailLines', () => {
  it('returns the last lines, whole, within a byte limit', async () => {
    const path = inDir('tail.txt');
    const all = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    await writeFile(path, all.join('\n') + '\n');
    assert.deepEqual(await readTailLines(path, 3, 1e9), all.slice(-3));
    assert.deepEqual(await readTailLines(path, 10_000, 1e9), all);
    const limited = await readTailLines(path, 10_000, 1000);
    assert.ok(limited.length > 0 && limited.length < 40);
    assert.deepEqual(limited, all.slice(-limited.length), 'no line cut by the limit');
    await writeFile(path, 'a\r\nb\r\nc');
    assert.deepEqual(await readTailLines(path, 2, 1e9), ['b', 'c']);
  });

  it('reads only the lines at or after an offset', async () => {
    const path = inDir('from.txt');
    await writeFile(path, 'older\r\nmine 1\r\nmine 2\r\n');
    assert.deepEqual(await readTailLines(path, 5, 1e9, 7), ['mine 1', 'mine 2']);
    assert.deepEqual(await readTailLines(path, 1, 1e9, 7), ['mine 2']);
    assert.deepEqual(await readTailLines(path, 5, 1e9, 8), ['mine 2'], 'a line the offset cuts is left out');
    assert.deepEqual(await readTailLines(path, 5, 1e9, 99), []);
    assert.deepEqual(await readTailLines(inDir('missing.txt'), 5, 100), []);
  });
});
