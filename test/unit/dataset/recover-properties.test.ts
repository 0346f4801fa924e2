import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { propertyRuns } from '../property-runs';
import { heldLock } from './held-lock';
import { tempDir } from './temp-dir';
import { Curator, type OutputSinks } from '../../../src/core/curation';
import type { OutputPaths } from '../../../src/core/dataset/output-marks';
import { markOutputs } from '../../../src/core/dataset/output-marks';
import { restoreDerivedRows } from '../../../src/core/dataset/recover';
import { openJsonlAppender } from '../../../src/core/dataset/writer';
import { addNode, createTree, ROOT } from '../../../src/core/search/tree';
import type { SearchTree } from '../../../src/shared/tree';

/**
 * Crash recovery over arbitrary prompts, answers and crash points: a run writes each prompt's
 * trace row, then its SFT row and pair; a crash stops it after any number of writes, possibly in
 * the middle of one. The next run repairs the files' tails and restores the derived rows: the
 * outputs then hold exactly the rows of the prompts whose trace row survived, once each. An older
 * run may have written the same prompts and answers before it, whole (a run with --fresh): its
 * rows must not stand for the crashed run's.
 */

const RUNS = propertyRuns(777, 40);
const inDir = tempDir('toa-recover-props-');
const held = heldLock(inDir);
let runs = 0;

type Kind = keyof OutputPaths;
interface Write {
  kind: Kind;
  line: string;
  /** Index of the prompt the line belongs to. */
  prompt: number;
}

// Answers repeat, and so do prompts (`question ${i % 3}`): two prompts can derive the same row.
const answer = fc.record({ text: fc.oneof(fc.constantFrom('x', 'y'), fc.string({ unit: 'binary', maxLength: 20 })), reward: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.double({ min: -1, max: 1, noNaN: true })) });
const prompts = fc.array(fc.array(answer, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });

function tree(id: string, answers: Array<{ text: string; reward: number }>): SearchTree {
  const t = createTree(id, 'best-of-n', ['a'], answers.length);
  const agent = addNode(t, ROOT, { kind: 'agent', agent: 0, mode: 'scratch' });
  answers.forEach(({ text, reward }, i) => addNode(t, agent.id, { kind: 'response', agent: 0, text, reward, own: reward, play: i + 1 }));
  t.plays = answers.length;
  return t;
}

/** The lines a whole run writes, in order, each tagged with its prompt. */
async function wholeRun(answers: Array<Array<{ text: string; reward: number }>>, threshold: number, runId = 'r1'): Promise<Write[]> {
  const writes: Write[] = [];
  let prompt = 0;
  const sink = (kind: Kind) => ({ append: async (lines: string[]) => void writes.push(...lines.map((line) => ({ kind, line, prompt }))) });
  const sinks: OutputSinks = { sft: sink('sft'), preference: sink('preference'), trace: sink('trace') };
  const curator = new Curator(sinks, { preferenceRank: 2 }, { kind: 'above', threshold });
  for (; prompt < answers.length; prompt++) {
    const id = `p${prompt}`;
    await curator.recordTree(tree(id, answers[prompt]!), { id, messages: [{ role: 'user', content: `question ${prompt % 3}` }] }, { runId, configHash: 'h', startedAt: 0, finishedAt: 1 });
  }
  return writes;
}

describe('restoreDerivedRows after a crash at any write, at any byte', () => {
  it('the outputs hold the derived rows of every surviving trace row, once, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(prompts, fc.constantFrom(-Infinity, 0, 1), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (answers, threshold, at, cutShare, rerun) => {
        const older = rerun ? await wholeRun(answers, threshold, 'r0') : [];
        const writes = await wholeRun(answers, threshold);
        const done = at % (writes.length + 1);
        const dir = `run${runs++}`;
        const paths: OutputPaths = { sft: inDir(dir, 'sft.jsonl'), preference: inDir(dir, 'preference.jsonl'), trace: inDir(dir, 'trace.jsonl') };
        await mkdir(inDir(dir));
        for (const write of older) await appendFile(paths[write.kind], `${write.line}\n`);
        // Where the crashed run began appending, as its lock records it (outputs not there yet: 0).
        const from = markOutputs(paths);
        for (const write of writes.slice(0, done)) await appendFile(paths[write.kind], `${write.line}\n`);
        const cut = writes[done];
        // The write the crash interrupted: some of its bytes reached the disk (its '\n' excluded).
        if (cut) await appendFile(paths[cut.kind], Buffer.from(cut.line).subarray(0, Math.floor(cutShare * Buffer.byteLength(cut.line))));

        const [sft, preference, trace] = await Promise.all((['sft', 'preference', 'trace'] as const).map((kind) => openJsonlAppender(paths[kind], { repair: { lock: held(), onRepair: () => undefined } })));
        await restoreDerivedRows(paths, { runIds: ['r1'], from }, { sft: sft!, preference: preference! });
        await Promise.all([sft, preference, trace].map((a) => a!.close()));

        // A trace row cut before its very end is repaired away; one cut only before its '\n' is whole.
        const surviving = new Set(writes.filter((w, i) => w.kind === 'trace' && (i < done || (i === done && cutShare === 1))).map((w) => w.prompt));
        for (const kind of ['sft', 'preference', 'trace'] as const) {
          const expected = [...older, ...writes.filter((w) => surviving.has(w.prompt))].filter((w) => w.kind === kind).map((w) => w.line);
          // An output no row reached was never created (see openJsonlAppender).
          if (!existsSync(paths[kind])) {
            assert.deepEqual(expected, [], `${kind}: no file, yet rows were due`);
            continue;
          }
          const lines = (await readFile(paths[kind], 'utf8')).split('\n');
          assert.equal(lines.pop(), '', `${kind}: ends with a line break`);
          assert.deepEqual(lines, expected, kind);
        }
      }),
      RUNS,
    );
  });
});
