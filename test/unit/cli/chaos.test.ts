import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { preferenceRow, sftRow, type TraceRow } from '../../../src/core/dataset/records';
import { seededRandom } from '../../../src/core/util/random';
import { startSim, type SimServer } from '../../../src/sim';

/**
 * Chaos: the real CLI, writing its three outputs against endpoints that fail in every way the
 * sim knows, is SIGKILLed at seeded moments, cancelled once, and run again on the same outputs
 * after each. A kill can land anywhere: while it starts, just after it took the dead run's lock
 * over, while it mends the outputs, between a trace row and its SFT row, inside a write. The
 * moments vary with timing; what is checked does not: whole JSON lines, one trace row per
 * prompt, the SFT rows and pairs the trace rows name and no others, each once, no lock left, and
 * a last run that exits 0 with counts that match the files.
 */

const PROMPTS = 30;
const SEED = 20240611;
/** Where a kill can stop a write in the kernel (see checkLines). */
const PAGE = 4096;
/** A run that outlives this is stuck: it is killed and the test fails. */
const RUN_DEADLINE_MS = 30_000;

type Trigger =
  /** Once the trace has grown this many bytes during the run (it writes rows, and their SFT rows next). */
  | { traceBytes: number }
  /** This long after the spawn: often while it starts, before it has the lock. */
  | { afterMs: number }
  /** As soon as the lock names the run: it has just taken a dead run's outputs over. */
  | { lockTaken: true };

interface Step {
  signal: 'SIGKILL' | 'SIGINT' | 'SIGTERM';
  when: Trigger;
  /** Send it again once the run says it is cancelling: a second Ctrl-C quits at once. */
  again?: true;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether the trigger came and the signal was sent. */
  sent: boolean;
  /** Killed at RUN_DEADLINE_MS: it hung. */
  hung: boolean;
}

/** The kills and the cancel, drawn from SEED: it picks the moments, never what is checked. */
function plan(): Step[] {
  const rng = seededRandom(SEED);
  const bytes = (): { traceBytes: number } => ({ traceBytes: 1 + Math.floor(rng.next() * 8_000) });
  // A kill just after a trace row often leaves its SFT row unwritten; a lockTaken kill after it
  // stops the next run before it has restored that row.
  return [
    { signal: 'SIGKILL', when: bytes() },
    { signal: 'SIGKILL', when: { lockTaken: true } },
    { signal: 'SIGKILL', when: { afterMs: 100 + Math.floor(rng.next() * 800) } },
    { signal: 'SIGKILL', when: bytes() },
    { signal: 'SIGKILL', when: { lockTaken: true } },
    { signal: rng.next() < 0.5 ? 'SIGINT' : 'SIGTERM', when: bytes() },
    { signal: 'SIGINT', when: bytes(), again: true },
    { signal: 'SIGKILL', when: { lockTaken: true } },
  ];
}

let sim: SimServer;
let dir: string;
let cli: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'toa-chaos-'));
  // The CLI as it ships (one bundle, as `npm run build` makes dist/cli.js), built from the
  // sources under test: it starts in a third of the time tsx takes, and this test starts it nine times.
  cli = join(dir, 'cli.js');
  await build({ entryPoints: [join(__dirname, '../../../src/cli/main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'warning' });
  sim = await startSim({
    port: 0,
    seed: 5,
    latencyMs: 2,
    rewardLatencyMs: 1,
    // Every fault the sim knows, on chat and reward calls. A 429's Retry-After is kept short;
    // the others wait out the client's backoff.
    faults: { rate429: 0.04, retryAfterSeconds: 0.02, rate500: 0.02, rateCut: 0.02, rateMalformed: 0.02 },
    rewardFaults: true,
  });
});

after(async () => {
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

test('runs killed at seeded moments and cancelled once, then re-run, leave whole lines and each prompt written once', { timeout: 120_000 }, async () => {
  const out = join(dir, 'out');
  await mkdir(out);
  const paths = { sft: join(out, 'sft.jsonl'), preference: join(out, 'preference.jsonl'), trace: join(out, 'traces.jsonl') };
  const ids = Array.from({ length: PROMPTS }, (_, i) => `q${i}`);
  const input = join(dir, 'prompts.jsonl');
  await writeFile(input, ids.map((id, i) => JSON.stringify({ id, prompt: `Question ${i}: explain topic number ${i * 7 + 3} in plain words.` })).join('\n') + '\n');
  const config = join(dir, 'run.json');
  const agent = (model: string): Record<string, unknown> => ({ name: model, baseURL: `${sim.url}/v1`, model, maxRetries: 8 });
  await writeFile(
    config,
    JSON.stringify({
      agents: [agent('sim-large'), agent('sim-refiner'), agent('sim-small')],
      reward: { type: 'vllm', baseURL: sim.url, model: 'sim-reward' },
      search: { budget: 3, seed: 1 },
      // Auto-accept above a threshold: SFT rows and pairs are written during the run, and a
      // prompt whose best answer falls short must stay without them.
      output: { ...paths, autoAcceptAbove: 0.06 },
      // Few prompts at once, so trace rows (and the kills) come one after another.
      run: { concurrency: 4 },
    }),
  );
  const args = ['run', '--config', config, '--input', input, '--quiet'];

  const log: string[] = [];
  const context = (): string => `\nruns:\n${log.join('\n')}`;
  for (const [i, step] of plan().entries()) {
    const result = await runUntil(cli, args, paths.trace, step);
    const notes = result.stderr.split('\n').filter((l) => /^(repaired|recovered|cancel|toa run:)/.test(l));
    assert.equal(result.hung, false, `run ${i + 1} hung:\n${result.stderr}${context()}`);
    const locked = readdirSync(out).some((name) => name.endsWith('.lock'));
    log.push(`${i + 1}. ${step.signal}${step.again ? ' twice' : ''} on ${JSON.stringify(step.when)}: ${result.sent ? 'sent' : 'not sent'}, exit ${result.code ?? result.signal}${locked ? ', lock left' : ''}${notes.map((n) => `\n   ${n.slice(0, 160)}`).join('')}`);
    if (result.signal === null) assert.ok(result.code === 0 || (result.code === 130 && step.signal !== 'SIGKILL'), `exit ${result.code}:\n${result.stderr}${context()}`);
    if (locked) {
      // A run died holding the outputs: whole rows (but see checkLines), and maybe SFT rows and
      // pairs missing, which the next run restores.
      await Promise.all(Object.values(paths).map((p) => checkLines(p, { afterKill: true }, context())));
    } else {
      // The last run to hold the outputs ended cleanly (finished, or cancelled): nothing to mend.
      await checkOutputs(paths, context());
    }
  }

  const cut = await Promise.all(Object.values(paths).map(async (p) => ((await readFile(p, 'utf8').catch(() => '')).match(/[^\n]$/) ? [p] : [])));
  const before = (await checkLines(paths.trace, { afterKill: true }, context())).length;
  const final = await runUntil(cli, args, paths.trace, undefined);
  log.push(`final: exit ${final.code ?? final.signal}${final.hung ? ' (hung)' : ''}\n${final.stderr}`);
  assert.equal(final.code, 0, context());
  assert.deepEqual(readdirSync(out).sort(), ['preference.jsonl', 'sft.jsonl', 'traces.jsonl'], `no lock (nor anything else) is left beside the outputs${context()}`);
  for (const path of cut.flat()) assert.ok(final.stderr.includes(`repaired ${path}: removed a cut-off last line`), `the cut line of ${path} is reported${context()}`);
  const traces = await checkOutputs(paths, context());
  assert.deepEqual(traces.map((t) => t.promptId).sort(), [...ids].sort(), `every prompt has its trace row${context()}`);
  // The summary's counts are the files': the last run searched what it appended, and skipped the rest.
  const totals = /^(\d+) done, (?:(\d+) failed, )?(?:(\d+) skipped \(already in the trace\), )?\d+ plays/m.exec(final.stdout);
  assert.ok(totals, final.stdout);
  assert.deepEqual(totals.slice(1).map((n) => Number(n ?? 0)), [traces.length - before, 0, before], `${final.stdout}${context()}`);
  // The moments vary, but the runs must have been hit while they worked, or this tested little.
  assert.ok(log.filter((l) => /: sent, exit SIGKILL, lock left/.test(l)).length >= 3, `kills landed in runs holding the outputs${context()}`);
  assert.ok(traces.some((t) => t.derived?.sft != null) && traces.some((t) => t.derived?.sft == null), `some prompts were accepted, some not${context()}`);
});

/**
 * Every line is JSON and ends with its newline; returns them. Each line is appended in one
 * write, so a kill cannot leave half of one, with one exception: Linux checks for a kill between
 * the pages a write copies, so a kill can stop a write of more than one page at a page boundary
 * (the next run removes that tail). A line cut anywhere else was written in more than one write.
 */
async function checkLines(path: string, { afterKill }: { afterKill: boolean }, context: string): Promise<string[]> {
  const bytes = await readFile(path).catch(() => Buffer.alloc(0));
  const lines = bytes.toString('utf8').split('\n');
  const tail = lines.pop()!;
  const pageCut = afterKill && bytes.length % PAGE === 0;
  assert.ok(tail === '' || pageCut, `${path} ends with a whole line, not ${JSON.stringify(tail.slice(0, 60))} (${bytes.length} bytes)${context}`);
  for (const [i, line] of lines.entries()) {
    assert.doesNotThrow(() => JSON.parse(line), `${path}:${i + 1} is JSON: ${line.slice(0, 80)}...${context}`);
  }
  return lines;
}

/** Outputs a clean end leaves: whole lines, a trace row per prompt, exactly the SFT rows and pairs they name. */
async function checkOutputs(paths: { sft: string; preference: string; trace: string }, context: string): Promise<TraceRow[]> {
  const [traceLines, sft, pairs] = await Promise.all([paths.trace, paths.sft, paths.preference].map((p) => checkLines(p, { afterKill: false }, context)));
  const traces = traceLines!.map((line) => JSON.parse(line) as TraceRow);
  const ids = traces.map((t) => t.promptId);
  assert.equal(new Set(ids).size, ids.length, `one trace row per prompt: ${ids.join(' ')}${context}`);
  const named = { sft: [] as string[], pairs: [] as string[] };
  for (const trace of traces) {
    const text = (id: number): string => trace.tree.nodes[id]?.text ?? assert.fail(`${trace.promptId}: node ${id} has no text`);
    const derived = trace.derived;
    if (derived?.sft != null) named.sft.push(JSON.stringify(sftRow(trace, text(derived.sft))));
    if (derived?.preference) named.pairs.push(JSON.stringify(preferenceRow(trace, text(derived.preference[0]), text(derived.preference[1]))));
  }
  sameRows(sft!, named.sft, 'SFT rows', context);
  sameRows(pairs!, named.pairs, 'preference pairs', context);
  return traces;
}

/** The file holds exactly the rows the trace rows name, each once, in any order. */
function sameRows(actual: string[], named: string[], what: string, context: string): void {
  const count = new Map<string, number>();
  for (const row of named) count.set(row, (count.get(row) ?? 0) + 1);
  for (const row of actual) count.set(row, (count.get(row) ?? 0) - 1);
  const prompt = (row: string): string => row.slice(0, 90);
  const missing = [...count].filter(([, n]) => n > 0).map(([row]) => prompt(row));
  const extra = [...count].filter(([, n]) => n < 0).map(([row, n]) => `${-n}x ${prompt(row)}`);
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: those the trace rows name, each once${context}`);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function lockPid(path: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI and sends `step.signal` when its trigger comes: the outputs' folder is watched
 * (and polled, in case change events are coalesced). Without a step, runs it to its end.
 */
async function runUntil(cli: string, args: string[], trace: string, step: Step | undefined): Promise<Outcome> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const result: Outcome = { code: null, signal: null, stdout: '', stderr: '', sent: false, hung: false };
  let again = step?.again === true;
  child.stdout.on('data', (d: Buffer) => (result.stdout += d));
  child.stderr.on('data', (d: Buffer) => {
    result.stderr += d;
    if (again && result.sent && result.stderr.includes('cancelling')) again = !child.kill(step!.signal);
  });
  const startSize = sizeOf(trace);
  const send = (): void => {
    if (!result.sent && child.exitCode === null && child.signalCode === null) result.sent = child.kill(step!.signal);
  };
  const check = (): void => {
    const when = step?.when;
    if (!when || result.sent) return;
    if ('traceBytes' in when && sizeOf(trace) - startSize >= when.traceBytes) send();
    if ('lockTaken' in when && lockPid(`${trace}.lock`) === child.pid) send();
  };
  const watcher = watch(join(trace, '..'), check);
  const poll = setInterval(check, 5);
  const timers = [setTimeout(() => (result.hung = child.kill('SIGKILL')), RUN_DEADLINE_MS)];
  if (step && 'afterMs' in step.when) timers.push(setTimeout(send, step.when.afterMs));
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    return { ...result, code, signal };
  } finally {
    watcher.close();
    clearInterval(poll);
    timers.forEach(clearTimeout);
  }
}
