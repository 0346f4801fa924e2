import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { readPromptRows } from '../../../src/core/dataset/reader';
import { startSim, type SimServer } from '../../../src/sim';

const MAIN = join(__dirname, '../../../src/cli/main.ts');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI entry point in a child process, as a user would. */
function toa(args: string[], opts: { env?: NodeJS.ProcessEnv; onStdout?(text: string, child: ReturnType<typeof spawn>): void; onStart?(child: ReturnType<typeof spawn>): void } = {}): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
    opts.onStdout?.(stdout, child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

let sim: SimServer;
let dir: string;

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const agent = (name: string, model: string): Record<string, unknown> => ({ name, baseURL: `${sim.url}/v1`, model });
  return {
    agents: [agent('large', 'sim-large'), agent('refiner', 'sim-refiner'), agent('small', 'sim-small')],
    reward: { type: 'vllm', baseURL: sim.url, model: 'sim-reward' },
    search: { budget: 9, seed: 3 },
    output: { sft: 'out/sft.jsonl', preference: 'out/preference.jsonl', trace: 'out/traces.jsonl' },
    ...extra,
  };
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value));
  return path;
}

async function jsonl(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), `${path} ends with a whole line`);
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
}

const prompts = ['Name three uses of a hash map.', 'Why is the sky blue?', 'Summarize the rules of chess in two sentences.', 'Write a limerick about compilers.'];

before(async () => {
  sim = await startSim({ port: 0, seed: 1 });
  dir = await mkdtemp(join(tmpdir(), 'toa-cli-'));
  await writeFile(join(dir, 'prompts.jsonl'), prompts.map((prompt, i) => JSON.stringify({ id: `p${i}`, prompt })).join('\n') + '\n');
});

after(() => sim.close());

test('toa run writes SFT rows, preference pairs and traces, prints agent stats, and resumes', async () => {
  const cfg = await writeJson('run.json', config());
  const first = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /agent\s+calls\s+failed\s+retries\s+cut off\s+mean reward\s+wins/);
  assert.match(first.stdout, /4 done, 36 plays/);
  assert.match(first.stdout, /^written: 4 trace rows, 4 SFT rows, [1-4] preference pairs?$/m, 'the CLI accepts every best answer');
  assert.match(first.stdout, /^reward vllm:sim-reward: 36 calls, 0 failed, 0 retries, p50 latency \d+ ms$/m);
  assert.doesNotMatch(first.stderr, /warning/, "the sim's rewards suit the default tau");
  const sft = (await jsonl(join(dir, 'out/sft.jsonl'))) as Array<{ messages: Array<{ role: string; content: string }> }>;
  assert.equal(sft.length, 4);
  assert.deepEqual(sft[0]!.messages.map((m) => m.role), ['user', 'assistant']);
  const pairs = (await jsonl(join(dir, 'out/preference.jsonl'))) as Array<Record<string, unknown>>;
  assert.ok(pairs.length >= 1);
  assert.deepEqual(Object.keys(pairs[0]!).sort(), ['chosen', 'prompt', 'rejected']);
  const traces = (await jsonl(join(dir, 'out/traces.jsonl'))) as Array<{ promptId: string; tree: { nodes: unknown[]; plays: number } }>;
  assert.deepEqual(traces.map((t) => t.promptId).sort(), ['p0', 'p1', 'p2', 'p3']);
  assert.ok(traces.every((t) => t.tree.plays === 9));

  const again = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 done, 4 skipped/);
  assert.equal((await jsonl(join(dir, 'out/traces.jsonl'))).length, 4);
  assert.doesNotMatch(again.stderr, /recovered/, 'nothing to recover after a whole run');

  // Rows the user deletes after a clean run stay deleted.
  const sftText = await readFile(join(dir, 'out/sft.jsonl'), 'utf8');
  const pairText = await readFile(join(dir, 'out/preference.jsonl'), 'utf8');
  const lastTrace = traces.at(-1) as unknown as { promptId: string; runId: string; derived: { sft: number | null; preference: unknown } };
  assert.ok(lastTrace.derived.sft !== null, 'the CLI accepts every best answer, and the trace row says so');
  const sftCut = sftText.split('\n').slice(0, -2).join('\n') + '\n';
  await writeFile(join(dir, 'out/sft.jsonl'), sftCut);
  const pairCut = lastTrace.derived.preference === null ? pairText : pairText.split('\n').slice(0, -2).join('\n') + '\n';
  await writeFile(join(dir, 'out/preference.jsonl'), pairCut);
  const kept = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal(await readFile(join(dir, 'out/sft.jsonl'), 'utf8'), sftCut, 'a deliberate delete is not undone');

  // A crash after the last trace row, before its SFT row and pair (the run's lock is left behind,
  // its pid gone): resume writes them from the trace.
  const dead = spawn(process.execPath, ['-e', '0']);
  await once(dead, 'exit');
  await writeFile(join(dir, 'out/traces.jsonl.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), started: 'earlier', runId: lastTrace.runId }));
  const recovered = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(recovered.code, 0, recovered.stderr);
  assert.match(recovered.stderr, new RegExp(`recovered 1 SFT row and ${lastTrace.derived.preference === null ? 0 : 1} preference pair`));
  assert.equal(await readFile(join(dir, 'out/sft.jsonl'), 'utf8'), sftText, 'the same rows, byte for byte');
  assert.equal(await readFile(join(dir, 'out/preference.jsonl'), 'utf8'), pairText);
});

test('a restore of a crashed run\'s rows that fails (a full disk) keeps the lock, says so, and the next run restores them', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, async () => {
  const cfg = await writeJson('full.json', config({ search: { budget: 3, seed: 3 }, output: { sft: 'full/s.jsonl', preference: 'full/p.jsonl', trace: 'full/t.jsonl' } }));
  const run = (): Promise<Result> => toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal((await run()).code, 0);
  const [sftPath, tracePath] = [join(dir, 'full/s.jsonl'), join(dir, 'full/t.jsonl')];
  const sftText = await readFile(sftPath, 'utf8');
  const lastTrace = JSON.parse((await readFile(tracePath, 'utf8')).trim().split('\n').at(-1)!) as { runId: string };
  // A crash after the last trace row, before its SFT row; then the disk is full (writes to /dev/full fail with ENOSPC).
  const sftCut = sftText.split('\n').slice(0, -2).join('\n') + '\n';
  const dead = spawn(process.execPath, ['-e', '0']);
  await once(dead, 'exit');
  await writeFile(`${tracePath}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), started: 'earlier', runId: lastTrace.runId }));
  await rm(sftPath);
  await symlink('/dev/full', sftPath);
  const failed = await run();
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, new RegExp(`could not restore the SFT rows and preference pairs that an interrupted run \\(${lastTrace.runId}\\) had not written after their trace rows: .*no space left on the disk.*The lock .*t\\.jsonl\\.lock is kept, so the next run on these outputs restores them`));
  assert.equal(existsSync(`${tracePath}.lock`), true, 'the lock still names the crashed run');
  // Space again: the next run restores the row, whose prompt resume skips (its trace row is written).
  await rm(sftPath);
  await writeFile(sftPath, sftCut);
  const next = await run();
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /recovered 1 SFT row and /);
  assert.equal(await readFile(sftPath, 'utf8'), sftText, 'the same rows, byte for byte');
  assert.equal(existsSync(`${tracePath}.lock`), false);
});

test('an output that fails mid-run (a full disk) keeps the lock, says so, and the next run writes the rows its trace rows name', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, async () => {
  const cfg = await writeJson('midrun.json', config({ search: { budget: 3, seed: 3 }, output: { sft: 'midrun/s.jsonl', preference: 'midrun/p.jsonl', trace: 'midrun/t.jsonl' } }));
  const run = (): Promise<Result> => toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  const [sftPath, tracePath] = [join(dir, 'midrun/s.jsonl'), join(dir, 'midrun/t.jsonl')];
  await mkdir(join(dir, 'midrun'), { recursive: true });
  // The SFT file's disk is full: the first prompt's trace row is written, its SFT row is not.
  await symlink('/dev/full', sftPath);
  const failed = await run();
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /could not save the outputs: .*\(output\.\w+\): no space left on the disk\. The lock .*t\.jsonl\.lock is kept, so the next run on these outputs writes the SFT rows and preference pairs this run could not/);
  assert.equal(existsSync(`${tracePath}.lock`), true, 'the lock names the run');
  await rm(sftPath);
  const next = await run();
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /recovered [1-9]\d* SFT rows? and /);
  const traces = (await readFile(tracePath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { derived: { sft: number | null } });
  const sftRows = (await readFile(sftPath, 'utf8')).trim().split('\n');
  assert.equal(sftRows.length, traces.filter((t) => t.derived.sft !== null).length, 'every trace row that names an SFT row has it');
  assert.equal(existsSync(`${tracePath}.lock`), false);
});

test('a kill that cut a trace row inside a multi-byte character: the cut row is removed, the crashed run recovered, the rest resumed', async () => {
  const cfg = await writeJson('torn.json', config({ search: { budget: 3, seed: 3 }, output: { sft: 'torn/s.jsonl', preference: 'torn/p.jsonl', trace: 'torn/t.jsonl' } }));
  const input = join(dir, 'cafe.jsonl');
  await writeFile(input, ['Café one', 'Café two', 'Café three'].map((prompt, i) => JSON.stringify({ id: `c${i}`, prompt })).join('\n') + '\n');
  const first = await toa(['run', '--config', cfg, '--input', input, '--quiet', '--strategy', 'best-of-n']);
  assert.equal(first.code, 0, first.stderr);
  const [tracePath, sftPath] = [join(dir, 'torn/t.jsonl'), join(dir, 'torn/s.jsonl')];
  const rows = (await readFile(tracePath, 'utf8')).split('\n').filter(Boolean);
  const [one, two, three] = rows.map((line) => JSON.parse(line) as { runId: string; messages: Array<{ content: string }> });
  const sftOf = (t: typeof one): string => (sftLines.find((l) => l.includes(JSON.stringify(t!.messages[0]!.content))) ?? '');
  const sftLines = (await readFile(sftPath, 'utf8')).split('\n').filter(Boolean);
  // The kill: trace rows one and two whole, row three cut after the first byte of an "é"; the
  // SFT row of row two (and of three) never written; the lock left behind with a dead pid.
  const cut = Buffer.from(rows[2]!).subarray(0, Buffer.from(rows[2]!).indexOf(Buffer.from('é')) + 1);
  await writeFile(tracePath, Buffer.concat([Buffer.from(`${rows[0]}\n${rows[1]}\n`), cut]));
  await writeFile(sftPath, `${sftOf(one)}\n`);
  const dead = spawn(process.execPath, ['-e', '0']);
  await once(dead, 'exit');
  await writeFile(`${tracePath}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), started: 'earlier', runId: two!.runId }));

  const next = await toa(['run', '--config', cfg, '--input', input, '--quiet', '--strategy', 'best-of-n']);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /repaired .*t\.jsonl: removed a cut-off last line/);
  assert.match(next.stderr, /recovered 1 SFT row and /);
  assert.match(next.stdout, /1 done, 2 skipped/);
  const sft = (await readFile(sftPath, 'utf8')).split('\n').filter(Boolean);
  assert.deepEqual(sft.slice(0, 2), [sftOf(one), sftOf(two)], "row two's SFT row restored as it was");
  assert.equal(sft.length, 3, 'row three searched again');
  assert.ok(sft[2]!.includes(JSON.stringify(three!.messages[0]!.content)));
});

test('--out-dir moves relative outputs and says which absolute ones it leaves; --fresh searches again and says it appends', async () => {
  const trace = join(dir, 'abs-trace', 't.jsonl');
  const cfg = await writeJson('outdir.json', config({ search: { budget: 3, seed: 3 }, output: { sft: 'o/s.jsonl', preference: 'o/p.jsonl', trace } }));
  const outDir = join(dir, 'elsewhere');
  const first = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet', '--out-dir', outDir]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /note: --out-dir does not apply to output\.trace: absolute in the config/);
  assert.equal((await jsonl(join(outDir, 'o/s.jsonl'))).length, 4);
  assert.equal((await jsonl(trace)).length, 4);
  const again = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet', '--out-dir', outDir, '--fresh']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /note: --fresh: .*t\.jsonl already holds searches; this run searches every prompt again and appends its rows/);
  assert.equal((await jsonl(join(outDir, 'o/s.jsonl'))).length, 8);
});

test('with --out-dir, output errors name the field under --out-dir, the flag that moved the path', async () => {
  const cfg = await writeJson('outdir-error.json', config({ search: { budget: 2, seed: 3 }, output: { sft: 'oe/s.jsonl', preference: 'oe/p.jsonl', trace: 'oe/t.jsonl' } }));
  const outDir = join(dir, 'outdir-error');
  await mkdir(join(outDir, 'oe/p.jsonl'), { recursive: true });
  const result = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet', '--out-dir', outDir]);
  assert.equal(result.code, 1, result.stderr);
  assert.ok(result.stderr.includes(`${join(outDir, 'oe/p.jsonl')} (output.preference under --out-dir): is a folder`), result.stderr);
});

test('resume matches rows without ids by their text, and notes trace rows from another configuration', async () => {
  const cfg = await writeJson('resume-lines.json', config({ search: { budget: 3, seed: 3 }, output: { sft: 'rl/s.jsonl', preference: 'rl/p.jsonl', trace: 'rl/t.jsonl' } }));
  const input = join(dir, 'no-ids.jsonl');
  await writeFile(input, prompts.slice(0, 3).map((prompt) => JSON.stringify({ prompt })).join('\n') + '\n');
  const first = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.match(first.stdout, /^3 done, 9 plays/m);
  // A new prompt at the top: every old prompt moves one line down.
  await writeFile(input, [prompts[3], ...prompts.slice(0, 3)].map((prompt) => JSON.stringify({ prompt })).join('\n') + '\n');
  const second = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /1 done, 3 skipped/);
  const traces = (await jsonl(join(dir, 'rl/t.jsonl'))) as Array<{ promptId: string; messages: Array<{ content: string }> }>;
  assert.deepEqual(traces.map((t) => t.messages[0]!.content).sort(), [...prompts].sort(), 'each prompt searched once');
  assert.doesNotMatch(second.stderr, /another configuration/);
  const other = await toa(['run', '--config', cfg, '--input', input, '--quiet', '--budget', '4']);
  assert.match(other.stderr, /note: 4 trace rows in .*t\.jsonl come from another configuration/);
  assert.match(other.stdout, /0 done, 4 skipped/);
});

test('a trace row broken in the middle of the trace is noted with its file, line and field, and its prompt searched again; past five such lines, the rest are summed up', async () => {
  const cfg = await writeJson('broken-row.json', config({ search: { strategy: 'best-of-n', budget: 2, seed: 3 }, output: { sft: 'br/s.jsonl', preference: 'br/p.jsonl', trace: 'br/t.jsonl' } }));
  const input = join(dir, 'broken-row.jsonl');
  await writeFile(input, prompts.slice(0, 2).map((prompt, i) => JSON.stringify({ id: `br${i}`, prompt })).join('\n') + '\n');
  assert.equal((await toa(['run', '--config', cfg, '--input', input, '--quiet'])).code, 0);
  const trace = join(dir, 'br/t.jsonl');
  const rows = (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
  // Eight lines that are not trace rows: the first five are named, the rest summed up in one line.
  await writeFile(trace, `${rows[0]!.slice(0, 30)}\n${'not a trace row\n'.repeat(7)}${rows[1]}\n`);
  const again = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(again.stderr.split('\n').filter((line) => line.includes('ignored for resume')), [
    ...[1, 2, 3, 4, 5].map((line) => `note: ${trace}:${line} (output.trace) ignored for resume: not a trace row (no promptId and messages)`),
    `note: … and 3 more lines that are not trace rows in ${trace} (output.trace), ignored for resume`,
  ]);
  assert.match(again.stdout, /1 done, 1 skipped/);
});

test('an empty system message is none: the SFT row and the trace do not carry it', async () => {
  const cfg = await writeJson('no-system.json', config({ search: { strategy: 'best-of-n', budget: 2, seed: 3 }, output: { sft: 'ns/s.jsonl', preference: 'ns/p.jsonl', trace: 'ns/t.jsonl' } }));
  const input = join(dir, 'no-system.jsonl');
  await writeFile(input, `${JSON.stringify({ id: 'm', messages: [{ role: 'system', content: '' }, { role: 'user', content: 'Why is the sky blue?' }] })}\n${JSON.stringify({ id: 'a', instruction: 'Name a prime.', system: '' })}\n`);
  const run = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const sft = (await jsonl(join(dir, 'ns/s.jsonl'))) as Array<{ messages: Array<{ role: string }> }>;
  assert.deepEqual(sft.map((row) => row.messages.map((m) => m.role)), [['user', 'assistant'], ['user', 'assistant']]);
  const traces = (await jsonl(join(dir, 'ns/t.jsonl'))) as Array<{ messages: Array<{ role: string }> }>;
  assert.deepEqual(traces.map((row) => row.messages.map((m) => m.role)), [['user'], ['user']]);
});

test("who speaks (a message's name) is kept in the SFT row, the pair and the trace, and a re-run finds the prompt done", async () => {
  const cfg = await writeJson('names.json', config({ search: { strategy: 'best-of-n', budget: 3, seed: 3 }, output: { sft: 'nm/s.jsonl', preference: 'nm/p.jsonl', trace: 'nm/t.jsonl' } }));
  const input = join(dir, 'names.jsonl');
  const messages = [{ role: 'user', content: 'Which is larger, 2 or 3?', name: 'ada' }, { role: 'assistant', content: '3.', name: 'tutor' }, { role: 'user', content: 'And 3 or 4?', name: 'bob' }];
  await writeFile(input, `${JSON.stringify({ messages })}\n`);
  const run = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const [sft] = (await jsonl(join(dir, 'nm/s.jsonl'))) as Array<{ messages: Array<{ name?: string }> }>;
  assert.deepEqual(sft!.messages.map((m) => m.name), ['ada', 'tutor', 'bob', undefined]);
  const [pair] = (await jsonl(join(dir, 'nm/p.jsonl'))) as Array<{ prompt: unknown }>;
  assert.deepEqual(pair!.prompt, messages);
  const [trace] = (await jsonl(join(dir, 'nm/t.jsonl'))) as Array<{ messages: unknown }>;
  assert.deepEqual(trace!.messages, messages);
  const again = await toa(['run', '--config', cfg, '--input', input]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 done, 1 skipped/);
});

test('bad input rows exit 1 naming file, line and field, nothing is sent, and no empty output is left behind', async () => {
  const cfg = await writeJson('bad-input.json', config({ output: { trace: 'bad/t.jsonl', sft: 'bad/s.jsonl', preference: 'bad/p.jsonl' } }));
  // One output was there before the run: it is not the run's to remove, empty or not.
  await mkdir(join(dir, 'bad'), { recursive: true });
  await writeFile(join(dir, 'bad/p.jsonl'), '');
  const input = join(dir, 'bad.jsonl');
  await writeFile(input, '{"prompt": "fine"}\n{"messages": [{"role": "robot", "content": "x"}]}\n{not json\n');
  const before = sim.counters().chatRequests;
  const result = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /bad\.jsonl:2: messages\[0\]\.role: must be one of system, user, assistant/);
  assert.match(result.stderr, /bad\.jsonl:3: invalid JSON/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(sim.counters().chatRequests, before);
  assert.deepEqual(['s', 'p', 't', 't.jsonl.lock'].map((name) => existsSync(join(dir, 'bad', name.includes('.') ? name : `${name}.jsonl`))), [false, true, false, false]);
});

test('failed prompts exit 1 and say that the same command searches them again; it does, skipping the rest', async () => {
  // A reward that cannot score one prompt while a flag file exists: that prompt fails, the others are done.
  await mkdir(join(dir, 'flaky'), { recursive: true });
  const flag = join(dir, 'flaky', 'fail-boom');
  await writeFile(flag, '');
  await writeFile(join(dir, 'flaky', 'score.js'), "let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => { if (JSON.parse(s).prompt.includes('boom') && require('fs').existsSync('fail-boom')) process.exit(3); process.stdout.write('0.5'); });");
  const cfg = join(dir, 'flaky', 'toa.config.json');
  await writeFile(cfg, JSON.stringify(config({ reward: { type: 'command', command: [process.execPath, 'score.js'] }, search: { budget: 2 } })));
  const input = join(dir, 'flaky', 'prompts.jsonl');
  await writeFile(input, ['hello', 'boom', 'fine'].map((prompt) => JSON.stringify({ prompt })).join('\n') + '\n');
  const failed = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stdout, /2 done, 1 failed/);
  assert.match(failed.stderr, /^1 prompt failed \(reasons above\); run the command again \(without --fresh\) to search it again, the prompts already in the trace are skipped$/m);
  await rm(flag);
  const again = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /1 done, 2 skipped/);
  assert.doesNotMatch(again.stderr, /failed/);
  // After --fresh, the failed prompt still has the earlier run's row: resume would skip it.
  await writeFile(flag, '');
  const fresh = await toa(['run', '--config', cfg, '--input', input, '--quiet', '--fresh']);
  assert.equal(fresh.code, 1, fresh.stderr);
  assert.match(fresh.stderr, /^1 prompt failed \(reasons above\); run the command again without --fresh to search again those the trace holds no row for: one an earlier run finished is skipped as done \(use other outputs to search it again\)$/m);
});

test('an input path that does not exist exits 1 naming it, and creates no outputs', async () => {
  const cfg = await writeJson('missing-input.json', config({ output: { trace: 'missing/t.jsonl', sft: 'missing/s.jsonl', preference: 'missing/p.jsonl' } }));
  const result = await toa(['run', '--config', cfg, '--input', join(dir, 'no-such.jsonl'), '--quiet']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no-such\.jsonl: no such file$/m);
  assert.equal(existsSync(join(dir, 'missing')), false, 'no output folder, no empty files, no lock');
});

test('a config path that names no file says so in words and how to write one; a folder says it is one', async () => {
  const missing = join(dir, 'no such dir', 'toa.config.json');
  const input = join(dir, 'prompts.jsonl');
  for (const args of [['run', '-c', missing, '-i', input], ['compare', '-c', missing, '-i', input], ['validate', '-c', missing]]) {
    const result = await toa(args);
    assert.equal(result.code, 1, args[0]);
    assert.equal(result.stderr, `toa ${args[0]}: 1 problem:\n  ${missing}: no such file; check the path, or write a starter config there with: toa init -c '${missing}'\n`);
  }
  const folder = await toa(['validate', '-c', dir]);
  assert.equal(folder.stderr, `toa validate: 1 problem:\n  ${dir}: is a folder\n`);
});

test('an input without prompts exits 1 instead of reporting a run that did nothing', async () => {
  const cfg = await writeJson('empty-input.json', config({ output: { trace: 'none/t.jsonl', sft: 'none/s.jsonl', preference: 'none/p.jsonl' } }));
  const empty = join(dir, 'blank.jsonl');
  await writeFile(empty, '\n  \n');
  const result = await toa(['run', '--config', cfg, '--input', empty, '--quiet']);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /blank\.jsonl: has no prompts to run on/);
  assert.equal(existsSync(join(dir, 'none')), false, 'no output folder, no empty files, no lock');
  // validate says what run would: it called the file "ok — 0 prompts".
  const validated = await toa(['validate', '--config', cfg, '--input', empty]);
  assert.equal(validated.code, 1, validated.stdout + validated.stderr);
  assert.match(validated.stderr, /^toa validate: 1 problem:\n {2}.*blank\.jsonl: has no prompts to run on$/m);
  assert.doesNotMatch(validated.stdout, /0 prompts/);
});

test('outputs must be files of their own: not the input, not each other, not a folder', async () => {
  const input = join(dir, 'prompts.jsonl');
  const before = await readFile(input, 'utf8');
  const intoInput = await writeJson('into-input.json', config({ output: { sft: 'prompts.jsonl', preference: 'o/p.jsonl', trace: 'o/p.jsonl' } }));
  const result = await toa(['run', '--config', intoInput, '--input', input, '--quiet']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /output\.sft: is the input file \(.*prompts\.jsonl\); each output needs a file of its own/);
  assert.match(result.stderr, /output\.trace: is output\.preference \(/);
  assert.equal(await readFile(input, 'utf8'), before, 'the input is untouched');
  const folder = await writeJson('folder-output.json', config({ output: { sft: '.', preference: 'o/', trace: '' } }));
  const validated = await toa(['validate', '--config', folder]);
  assert.equal(validated.code, 1);
  for (const kind of ['sft', 'preference', 'trace']) assert.match(validated.stderr, new RegExp(`output\\.${kind}: must be a file path`));
});

test('toa validate refuses the outputs toa run refuses, at their config line', async () => {
  const input = join(dir, 'prompts.jsonl');
  const shared = join(dir, 'shared-out.json');
  await writeFile(shared, JSON.stringify(config({ output: { sft: 'v/s.jsonl', preference: 'v/s.jsonl', trace: 'prompts.jsonl' } }), null, 2));
  const result = await toa(['validate', '--config', shared, '--input', input]);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /shared-out\.json:\d+: output\.preference: is output\.sft \(/);
  assert.match(result.stderr, /shared-out\.json:\d+: output\.trace: is the input file \(/);
  assert.doesNotMatch(result.stdout, /: ok/);
});

test('a path a command writes to holding ~ or $HOME (output.*, --out-dir, init\'s --config) is refused by toa validate, toa run and toa init: no folder named ~ or $HOME is made', async () => {
  const input = join(dir, 'prompts.jsonl');
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const cfg = join(home, 'tilde.json');
  await writeFile(cfg, JSON.stringify(config({ output: { sft: '~/data/sft.jsonl', preference: '$HOME/data/p.jsonl', trace: 'data/t.jsonl' } }), null, 2));
  const fix = "which is not expanded here: write the path out in full, or relative to the config file's folder";
  for (const args of [['validate'], ['run', '--quiet']]) {
    const result = await toa([...args, '--config', cfg, '--input', input]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, new RegExp(`tilde\\.json:\\d+: output\\.sft: starts with ~, ${fix}`));
    assert.match(result.stderr, new RegExp(`tilde\\.json:\\d+: output\\.preference: holds the environment variable \\$HOME, ${fix}`));
  }
  const outDir = join(home, '$HOME', 'out');
  const flagged = await toa(['run', '--config', await writeJson('out-dir-env.json', config()), '--input', input, `--out-dir=${outDir}`, '--quiet']);
  assert.equal(flagged.code, 2, flagged.stdout + flagged.stderr);
  assert.match(flagged.stderr, /--out-dir: ".*\$HOME.*" holds the environment variable \$HOME, which is not expanded here: write the path out in full, or relative to the current folder/);
  const init = await toa(['init', '--config', join(home, '$HOME', 'toa.config.json')]);
  assert.equal(init.code, 2, init.stdout + init.stderr);
  assert.match(init.stderr, /--config: ".*" holds the environment variable \$HOME, which is not expanded here/);
  assert.deepEqual(await readdir(home), ['tilde.json'], 'no folder named ~ or $HOME');
});

test('one toa run per set of outputs: a live run\'s lock refuses a second, a dead run\'s lock is taken over', async () => {
  const cfg = await writeJson('locked.json', config({ search: { budget: 2, seed: 3 }, output: { sft: 'lk/s.jsonl', preference: 'lk/p.jsonl', trace: 'lk/t.jsonl' } }));
  const lock = join(dir, 'lk/t.jsonl.lock');
  await mkdir(join(dir, 'lk'), { recursive: true });
  await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: 'earlier' }));
  const refused = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`t\\.jsonl is being written by another run \\(pid ${process.pid} on .*, since earlier\\)`));
  assert.equal(existsSync(join(dir, 'lk/t.jsonl')), false, 'nothing written');

  const dead = spawn(process.execPath, ['-e', '0']);
  await once(dead, 'exit');
  await writeFile(lock, JSON.stringify({ pid: dead.pid, host: hostname(), started: 'earlier' }));
  const taken = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(taken.code, 0, taken.stderr);
  assert.equal((await jsonl(join(dir, 'lk/t.jsonl'))).length, 4);
  assert.equal(existsSync(lock), false, 'released at the end');
});

test('toa init writes a starter config that validates, and never overwrites one', async () => {
  const file = join(dir, 'init', 'toa.config.json');
  await mkdir(join(dir, 'init'), { recursive: true });
  const written = await toa(['init', '--config', file, '--providers', 'vllm,openai']);
  assert.equal(written.code, 0, written.stderr);
  assert.match(written.stdout, /wrote .*toa\.config\.json: "vllm" \(Qwen\/Qwen2\.5-7B-Instruct\), "openai" \(gpt-4o-mini\), scored by an LLM judge on "vllm"/);
  assert.match(written.stdout, /set OPENAI_API_KEY in the environment/);
  const validated = await toa(['validate', '--config', file], { env: { OPENAI_API_KEY: 'sk-test' } });
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /ok — 2 agents \(vllm, openai\), reward judge, toa with budget 40/);
  // What the config sends where: a config someone else wrote is read before it runs.
  assert.match(validated.stdout, /\nsends: \$OPENAI_API_KEY to https:\/\/api\.openai\.com \(agents\[1\] \(openai\)\)\n/);
  assert.doesNotMatch(validated.stdout, /sk-test/);
  const before = await readFile(file, 'utf8');
  const again = await toa(['init', '--config', file]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /toa\.config\.json already exists; edit it/);
  assert.equal(await readFile(file, 'utf8'), before, 'the existing file is untouched');
  const unknown = await toa(['init', '--config', join(dir, 'init', 'other.json'), '--providers', 'openai,bedrock']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--providers: unknown "bedrock"; choose from openai, openrouter, vllm, ollama, lmstudio/);
  assert.equal(existsSync(join(dir, 'init', 'other.json')), false);
  const nested = join(dir, 'init', 'not', 'made', 'toa.config.json');
  assert.equal((await toa(['init', '--config', nested])).code, 0, 'a folder not made yet is made');
  assert.ok(existsSync(nested));
  const twice = await toa(['init', '--config', join(dir, 'init', 'twice.json'), '--providers', 'openai,openai']);
  assert.equal(twice.code, 0, twice.stderr);
  assert.match(twice.stdout, /wrote .*twice\.json: "openai" \(gpt-4o-mini\), scored by an LLM judge on "openai"\nset OPENAI_API_KEY in the environment;/);
});

test('toa init that cannot write its file says why in words: a folder is named as one, not as a file to edit', async () => {
  const folder = join(dir, 'init-folder');
  await mkdir(folder, { recursive: true });
  const onFolder = await toa(['init', '--config', folder]);
  assert.equal(onFolder.code, 1);
  assert.equal(onFolder.stderr, `toa init: ${folder}: is a folder; name the file to write in it, e.g. --config ${join(folder, 'toa.config.json')}\n`);
  const file = join(dir, 'init-file');
  await writeFile(file, '');
  const underFile = await toa(['init', '--config', join(file, 'toa.config.json')]);
  assert.equal(underFile.code, 1);
  assert.equal(underFile.stderr, `toa init: ${join(file, 'toa.config.json')}: a part of its path is a file, not a folder\n`);
});

test('toa validate reports every config problem with its path', async () => {
  const cfg = await writeJson('invalid.json', { ...config(), agents: [{ name: 'x', baseURL: 'nope', model: 'm' }], search: { budget: -1 } });
  const result = await toa(['validate', '--config', cfg]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /invalid\.json:1: agents\[0\]\.baseURL: must be an http:\/\/ or https:\/\/ URL/);
  const ftp = await writeJson('ftp.json', { ...config(), agents: [{ name: 'x', baseURL: 'ftp://127.0.0.1/v1', model: 'm' }] });
  assert.match((await toa(['validate', '--config', ftp])).stderr, /ftp\.json:1: agents\[0\]\.baseURL: must be an http:\/\/ or https:\/\/ URL/);
  assert.match(result.stderr, /invalid\.json:1: search\.budget: /);
});

test('toa validate on a file with thousands of bad rows counts them all, lists the first ones', async () => {
  const bad = join(dir, 'many-bad.jsonl');
  await writeFile(bad, Array.from({ length: 2500 }, (_, i) => `{"prompt": "q${i}"`).join('\n'));
  const result = await toa(['validate', '--config', await writeJson('many-bad.json', config()), '--input', bad]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /toa validate: 2500 problems:\n/);
  assert.match(result.stderr, /many-bad\.jsonl:101: \.\.\. and 2400 more problems from this line on\n/);
});

test('with a math check and no auto-accept threshold, toa validate and toa run say wrong answers become SFT rows; compare writes none and says nothing', async () => {
  const math = { reward: { type: 'reference', check: 'math' }, task: { kind: 'math' }, search: { budget: 1 } };
  const note = /^note: output\.autoAcceptAbove is unset, so every prompt's best answer becomes an SFT row, also one that fails the math check \(reward 0\); set output\.autoAcceptAbove to 1 to keep only answers that match the reference$/m;
  const unset = await writeJson('math-accept-all.json', config({ ...math, output: { sft: 'ma/s.jsonl', preference: 'ma/p.jsonl', trace: 'ma/t.jsonl' } }));
  const validated = await toa(['validate', '--config', unset]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, note);
  const input = join(dir, 'math.jsonl');
  await writeFile(input, '{"prompt": "What is 2 + 2?", "reference": "#### 4"}\n');
  const run = await toa(['run', '--config', unset, '--input', input, '--quiet']);
  assert.match(run.stderr, note);
  const compared = await toa(['compare', '--config', unset, '--input', input, '--budget', '1', '--strategies', 'best-of-n']);
  assert.doesNotMatch(compared.stderr, /autoAcceptAbove/);
  const set = await writeJson('math-accept-1.json', config({ ...math, output: { sft: 'ma/s.jsonl', preference: 'ma/p.jsonl', trace: 'ma/t.jsonl', autoAcceptAbove: 1 } }));
  assert.doesNotMatch((await toa(['validate', '--config', set])).stdout, /autoAcceptAbove/);
});

test('toa run says how many rows of each output it wrote, and how many best answers output.autoAcceptAbove left out', async () => {
  // The sim has no answer key here: its agents answer 2 + 2 wrongly, and the math check scores 0.
  const math = { reward: { type: 'reference', check: 'math' }, task: { kind: 'math' }, search: { budget: 1 } };
  const cfg = await writeJson('math-written.json', config({ ...math, output: { sft: 'mw/s.jsonl', preference: 'mw/p.jsonl', trace: 'mw/t.jsonl', autoAcceptAbove: 1 } }));
  const input = join(dir, 'math-written.jsonl');
  await writeFile(input, '{"prompt": "What is 2 + 2?", "reference": "#### 4"}\n{"prompt": "What is 3 + 3?", "reference": "#### 6"}\n');
  const run = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^2 done, /m);
  assert.match(run.stdout, /^written: 2 trace rows, 0 SFT rows, 0 preference pairs; 2 best answers not accepted \(output\.autoAcceptAbove is 1\): no SFT row or pair$/m);
  const again = await toa(['run', '--config', cfg, '--input', input, '--quiet']);
  assert.doesNotMatch(again.stdout, /^written:/m, 'a run that searched nothing wrote nothing');
});

test('toa validate and toa compare say when tau comes from a judge\'s score range', async () => {
  const cfg = await writeJson('judge.json', config({ reward: { type: 'judge', baseURL: `${sim.url}/v1`, model: 'sim-large', min: 0, max: 5 } }));
  const validated = await toa(['validate', '--config', cfg]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /note: search\.tau: 5, the judge's score range \(0 to 5\)/);
  assert.match(validated.stdout, /\(tau 5, alpha 0\.01,/);
  // tau steers TOA alone: compare notes it when TOA is among the strategies, and only then.
  const compared = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--budget', '3', '--strategies', 'toa,best-of-n']);
  assert.match(compared.stderr, /note: search\.tau: 5/);
  const baseline = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--budget', '3', '--strategies', 'best-of-n']);
  assert.doesNotMatch(baseline.stderr, /note: search\.tau/);
});

test('toa validate, toa run and toa compare say when the budget cuts MoA short', async () => {
  const note = /note: search\.budget: 4 is too small for MoA's 4 layers with 3 agents \(12 plays\): it runs 1 repeat of 2 layers, the last with 1 of the 3 agents\n/;
  const cfg = await writeJson('short-moa.json', config({ search: { budget: 4, seed: 3, strategy: 'moa' }, output: { sft: 'moa/s.jsonl', preference: 'moa/p.jsonl', trace: 'moa/t.jsonl' } }));
  const validated = await toa(['validate', '--config', cfg]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, note);
  const ran = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stderr, note);
  // Whatever the config's strategy, a comparison notes MoA when MoA is among its strategies, and only then.
  const toaConfig = await writeJson('short-toa.json', config({ search: { budget: 4, seed: 3 } }));
  assert.doesNotMatch((await toa(['validate', '--config', toaConfig])).stdout, /MoA/);
  const compared = await toa(['compare', '--config', toaConfig, '--input', join(dir, 'prompts.jsonl'), '--strategies', 'toa,moa']);
  assert.match(compared.stderr, note);
  const without = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--strategies', 'toa']);
  assert.doesNotMatch(without.stderr, /MoA/);
});

test("toa validate and the start of toa run say when the agents' maxConcurrency keeps run.concurrency out of reach", async () => {
  const note = /note: run\.concurrency 32 is more than the agents allow at once \(3 agents x maxConcurrency 8 = 24\): at most 24 model calls are in flight; raise agents\[i\]\.maxConcurrency to use it\n/;
  const cfg = await writeJson('capped.json', config({ output: { sft: 'capped/s.jsonl', preference: 'capped/p.jsonl', trace: 'capped/t.jsonl' }, run: { concurrency: 32 } }));
  const validated = await toa(['validate', '--config', cfg]);
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, note);
  const reachable = await toa(['validate', '--config', await writeJson('reachable.json', config({ run: { concurrency: 24 } }))]);
  assert.doesNotMatch(reachable.stdout, /run\.concurrency/);
  const defaulted = await toa(['validate', '--config', await writeJson('defaulted.json', config())]);
  assert.doesNotMatch(defaulted.stdout, /run\.concurrency/, 'its default (32) is no one\'s to raise the caps for');
  const ran = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stderr, new RegExp(`^${note.source}`), 'before anything else the run says');
});

test('toa run warns once when tau saturates the values, and still writes its outputs', async () => {
  const cfg = await writeJson('tiny-tau.json', config({ search: { budget: 9, seed: 3, tau: 0.001 }, output: { sft: 'tau/s.jsonl', preference: 'tau/p.jsonl', trace: 'tau/t.jsonl' } }));
  const result = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(result.code, 0, result.stderr);
  const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning: '));
  assert.equal(warnings.length, 1, result.stderr);
  assert.match(warnings[0]!, /^warning: search\.tau 0\.001 is small for this reward model's scores .* Set search\.tau to about 0\.0\d\.$/);
  assert.equal((await jsonl(join(dir, 'tau/t.jsonl'))).length, 4);
});

test('a key variable missing from the environment, or empty there, is named before anything is sent', async () => {
  const cfg = await writeJson('keys.json', config({ agents: [{ name: 'cloud', baseURL: `${sim.url}/v1`, model: 'sim-large', apiKeyEnv: 'TOA_TEST_MISSING_KEY' }] }));
  const result = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /keys\.json:1: agents\[0\]\.apiKeyEnv: environment variable TOA_TEST_MISSING_KEY is not set$/m);
  // `export KEY=` (a paste that did not take): set, but nothing to send.
  const empty = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], { env: { TOA_TEST_MISSING_KEY: '' } });
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /keys\.json:1: agents\[0\]\.apiKeyEnv: environment variable TOA_TEST_MISSING_KEY is set but empty$/m);
  // validate warns about every key run would stop on: the reward's too.
  const judge = await writeJson('judge-key.json', config({ reward: { type: 'judge', baseURL: `${sim.url}/v1`, model: 'sim-large', min: 0, max: 5, apiKeyEnv: 'TOA_TEST_MISSING_KEY' } }));
  const validated = await toa(['validate', '--config', judge], { env: { TOA_TEST_MISSING_KEY: '' } });
  assert.equal(validated.code, 0, validated.stderr);
  assert.match(validated.stdout, /^warning: .*judge-key\.json:1: reward\.apiKeyEnv: environment variable TOA_TEST_MISSING_KEY is set but empty$/m);
});

test('a key no HTTP header can carry (a byte order mark, a typographic dash) is named before anything is sent, never shown', async () => {
  const cfg = await writeJson('bom-key.json', config({ agents: [{ name: 'cloud', baseURL: `${sim.url}/v1`, model: 'sim-large', apiKeyEnv: 'TOA_TEST_BOM_KEY', maxRetries: 0 }] }));
  const input = join(dir, 'prompts.jsonl');
  // `export KEY=$(cat key.txt)` of a file an editor saved with a BOM: every call failed as a connection problem, prompt after prompt.
  const bom = await toa(['run', '--config', cfg, '--input', input, '--out-dir', join(dir, 'bom-key'), '--quiet'], { env: { TOA_TEST_BOM_KEY: '\ufeffsk-test-bom-key-1234' } });
  assert.equal(bom.code, 1, bom.stderr);
  assert.match(bom.stderr, /bom-key\.json:1: agents\[0\]\.apiKeyEnv: environment variable TOA_TEST_BOM_KEY holds U\+FEFF \(a byte order mark\) at character 1, which an HTTP header cannot carry/);
  assert.doesNotMatch(bom.stderr + bom.stdout, /sk-test-bom-key/);
  assert.equal(existsSync(join(dir, 'bom-key')), false, 'nothing was written');
  const dash = await toa(['validate', '--config', cfg], { env: { TOA_TEST_BOM_KEY: 'sk\u2013test-dash-key-1234' } });
  assert.equal(dash.code, 0, dash.stderr);
  assert.match(dash.stdout, /^warning: .*bom-key\.json:1: agents\[0\]\.apiKeyEnv: environment variable TOA_TEST_BOM_KEY holds U\+2013 at character 3, which/m);
  // The line break `$(cat key.txt)` keeps when the file has two is dropped by fetch, as are spaces around the key: no problem.
  const newline = await toa(['validate', '--config', cfg], { env: { TOA_TEST_BOM_KEY: 'sk-test-newline-key-1234\n' } });
  assert.doesNotMatch(newline.stdout, /warning/);
});

test('output into a pipe its reader closed (| head -1) is dropped: no stack trace, the exit code stands', async () => {
  const cfg = await writeJson('pipe.json', config());
  for (const args of [['--help'], ['validate', '--config', cfg, '--input', join(dir, 'prompts.jsonl')]]) {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the CLI has started: its first write meets a pipe nobody reads.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, `${args[0]}: ${stderr}`);
    assert.doesNotMatch(stderr, /EPIPE|Error|at /, args[0]);
  }
});

test('usage mistakes exit 2 with a hint; --help after a command prints the help', async () => {
  const result = await toa(['run', '--config']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /see toa --help/);
  const negative = await toa(['sim', '--latency=-5']);
  assert.equal(negative.code, 2);
  assert.match(negative.stderr, /--latency: must not be negative, got -5/);
  // Nothing is left unread or read as zero: a stray argument, an empty number, a port out of range.
  const stray = await toa(['validate', '--config', 'cfg.json', 'data.jsonl']);
  assert.deepEqual([stray.code, /Unexpected argument 'data\.jsonl'/.test(stray.stderr)], [2, true], stray.stderr);
  const empty = await toa(['sim', '--seed', '']);
  assert.deepEqual([empty.code, /--seed: must be a whole number, got ""/.test(empty.stderr)], [2, true], empty.stderr);
  const command = await toa(['rnu', '--config', 'cfg.json']);
  assert.deepEqual([command.code, /^toa: unknown command "rnu" \(did you mean run\?\)$/m.test(command.stderr)], [2, true], command.stderr);
  // A name every object has is no command either: it ran Object.prototype's function.
  const inherited = await toa(['constructor']);
  assert.deepEqual([inherited.code, /^toa: unknown command "constructor"$/m.test(inherited.stderr)], [2, true], inherited.stderr);
  const typo = await toa(['run', '--bugdet', '20']);
  assert.deepEqual([typo.code, /^toa run: Unknown option '--bugdet' \(did you mean --budget\?\)$/m.test(typo.stderr)], [2, true], typo.stderr);
  const port = await toa(['sim', '--port', '99999']);
  assert.deepEqual([port.code, /--port: must be between 0 and 65535, got 99999/.test(port.stderr)], [2, true], port.stderr);
  const { version } = JSON.parse(await readFile(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) assert.deepEqual(await toa([flag]), { code: 0, stdout: `toa ${version}\n`, stderr: '' }, flag);
  for (const command of ['sim', 'run', 'compare', 'validate']) {
    const help = await toa([command, '--help']);
    assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
    assert.match(help.stdout, /toa run -c\|--config/);
  }
});

test('toa compare prints one row per strategy at the same budget', async () => {
  const cfg = await writeJson('compare.json', config());
  const result = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--budget', '6', '--strategies', 'toa,best-of-n,moa']);
  assert.equal(result.code, 0, result.stderr);
  const rows = result.stdout.split('\n').filter((l) => /^(toa|best-of-n|moa)\s/.test(l));
  assert.equal(rows.length, 3);
  assert.ok(rows.every((r) => /\s4\s+0\s+24\s/.test(r)), result.stdout);
});

test('toa compare says a flat reward once, not once per strategy', async () => {
  // References no simulated answer ends with: the math check scores every answer 0.
  const input = join(dir, 'unmatched.jsonl');
  await writeFile(input, prompts.map((prompt, i) => JSON.stringify({ id: `p${i}`, prompt, reference: '31415926535' })).join('\n') + '\n');
  const cfg = await writeJson('compare-flat.json', config({ reward: { type: 'reference', check: 'math' } }));
  const result = await toa(['compare', '--config', cfg, '--input', input, '--budget', '3', '--strategies', 'toa,best-of-n,moa']);
  assert.equal(result.code, 0, result.stderr);
  const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning: '));
  assert.equal(warnings.length, 1, result.stderr);
  assert.match(warnings[0]!, /^warning: every one of the first 12 answers got the same reward, 0, from reward\.type "reference"/);
});

test('toa compare refuses a budget below 1 and an empty input, and exits 1 when prompts fail', async () => {
  const cfg = await writeJson('compare-bad.json', config());
  for (const budget of ['0', '-3']) {
    const bad = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), `--budget=${budget}`]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--budget: must be at least 1/);
  }
  const empty = join(dir, 'empty.jsonl');
  await writeFile(empty, '');
  const none = await toa(['compare', '--config', cfg, '--input', empty]);
  assert.equal(none.code, 1, 'bad input, not a usage mistake');
  assert.match(none.stderr, /empty\.jsonl: has no prompts to compare on/);
  assert.match((await toa(['compare', '--config', cfg, '--input', empty, '--strategies', ','])).stderr, /--strategies: name at least one/);
  // Given empty (a variable left unset), the list names none: not a request for all six.
  for (const flag of [['--strategies', ''], ['--strategies=']]) {
    const unnamed = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--budget', '2', ...flag]);
    assert.equal(unnamed.code, 2, unnamed.stdout + unnamed.stderr);
    assert.match(unnamed.stderr, /^toa compare: --strategies: name at least one of toa, /m);
    assert.equal(unnamed.stdout, '', 'no table: nothing was compared');
  }
  const hex = await toa(['compare', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--budget', '0x10']);
  assert.equal(hex.code, 2, hex.stdout + hex.stderr);
  assert.match(hex.stderr, /^toa compare: --budget: must be a whole number, got "0x10"; write it in decimal digits: 16$/m);

  // A model the server does not know (404, not retried): every call would fail alike, so the
  // comparison stops at the first one, says what to check, and the exit code says so.
  const unknown = await writeJson('compare-404.json', config({ agents: [{ name: 'typo', baseURL: `${sim.url}/v1`, model: 'sim-lrage' }] }));
  const failed = await toa(['compare', '--config', unknown, '--input', join(dir, 'prompts.jsonl'), '--budget', '2', '--strategies', 'best-of-n']);
  assert.equal(failed.code, 1, failed.stdout + failed.stderr);
  assert.match(failed.stderr, /agent "typo": 404 The model `sim-lrage` does not exist or you do not have access to it\. The endpoint does not know this model or path: check the model name and the URL\. Every call with these settings would be refused, so the run stops\./);
  // The prompt it stopped at, in the words toa run uses.
  assert.match(failed.stderr, /^failed: prompt p\d: agent "typo": 404 /m);
});

test('an endpoint that cannot be reached stops the run at once, naming its config field, its URL and the root cause, and leaves no empty outputs or folders', async () => {
  const agents = [{ name: 'fine', baseURL: `${sim.url}/v1`, model: 'sim-large' }, { name: 'gone', baseURL: 'http://127.0.0.1:9/v1', model: 'm', maxRetries: 1 }];
  const down = await writeJson('down.json', config({ agents, search: { strategy: 'best-of-n', agent: 'gone' }, output: { sft: 'dn/s.jsonl', preference: 'dn/p.jsonl', trace: 'dn/t.jsonl' } }));
  const many = join(dir, 'many.jsonl');
  await writeFile(many, Array.from({ length: 200 }, (_, i) => JSON.stringify({ prompt: `question ${i}` })).join('\n') + '\n');
  const started = Date.now();
  const run = await toa(['run', '--config', down, '--input', many, '--quiet']);
  assert.equal(run.code, 1, run.stderr);
  const said = 'agent "gone" cannot be reached at http://127.0.0.1:9/v1 (agents[1].baseURL) and has not answered once in this run (gave up after 2 attempts: connection failed: connect ECONNREFUSED 127.0.0.1:9). Check agents[1].baseURL, and that the server is running.';
  assert.ok(run.stderr.includes(`\ntoa run: ${said}\n`), run.stderr);
  // Every call to it failed alike: said once, then counted, not a line per retry.
  assert.equal(run.stderr.match(/^retry: agent "gone" attempt/gm)?.length, 1, run.stderr);
  assert.equal(existsSync(join(dir, 'dn')), false, 'no empty outputs, and no folder made for them');
  assert.ok(Date.now() - started < 20_000, 'not 200 prompts of retries');
  const compared = await toa(['compare', '--config', down, '--input', join(dir, 'prompts.jsonl'), '--budget', '2', '--strategies', 'best-of-n']);
  assert.equal(compared.code, 1);
  assert.match(compared.stderr, /toa compare: agent "gone" cannot be reached/);
});

test('retries are said once per endpoint and reason, then counted; the counts add up to the table\'s retries', async () => {
  const flaky = await startSim({ port: 0, seed: 2, faults: { rate429: 0.3, retryAfterSeconds: 0.001 } });
  try {
    const agents = ['sim-large', 'sim-refiner', 'sim-small'].map((model, i) => ({ name: `a${i}`, baseURL: `${flaky.url}/v1`, model }));
    const cfg = await writeJson('flaky.json', config({ agents, output: { sft: 'fl/s.jsonl', preference: 'fl/p.jsonl', trace: 'fl/t.jsonl' } }));
    const run = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const first = run.stderr.match(/^retry: agent "a\d" attempt/gm) ?? [];
    assert.deepEqual([...first].sort(), [...new Set(first)].sort(), `one full line per agent (one reason: 429): ${run.stderr}`);
    const counted = [...run.stderr.matchAll(/^retry: agent "a\d": (\d+) more retr(?:y|ies) \(429 /gm)].reduce((n, m) => n + Number(m[1]), 0);
    const table = run.stdout.split('\n').filter((line) => /^a\d\s/.test(line)).reduce((n, line) => n + Number(line.trim().split(/\s+/)[3]), 0);
    assert.ok(table > first.length, `enough retries to count: ${run.stdout}`);
    assert.equal(first.length + counted, table, run.stderr + run.stdout);
  } finally {
    await flaky.close();
  }
});

test("outputs that cannot be created or opened are said in words, with their config field, before any call", async () => {
  await mkdir(join(dir, 'od', 'sft.jsonl'), { recursive: true });
  const folder = await writeJson('output-folder.json', config({ output: { sft: 'od/sft.jsonl', preference: 'od/p.jsonl', trace: 'od/t.jsonl' } }));
  const before = sim.counters().chatRequests;
  const run = await toa(['run', '--config', folder, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(run.code, 1);
  const lastLine = (stderr: string): string | undefined => stderr.trimEnd().split('\n').at(-1);
  assert.equal(lastLine(run.stderr), `toa run: ${join(dir, 'od', 'sft.jsonl')} (output.sft): is a folder`, run.stderr);
  await writeFile(join(dir, 'a-file'), '');
  const under = await writeJson('output-under-file.json', config({ output: { sft: 'od/s.jsonl', preference: 'od/p.jsonl', trace: 'a-file/deeper/t.jsonl' } }));
  const locked = await toa(['run', '--config', under, '--input', join(dir, 'prompts.jsonl'), '--quiet']);
  assert.equal(locked.code, 1);
  assert.equal(lastLine(locked.stderr), `toa run: ${join(dir, 'a-file', 'deeper', 't.jsonl')}.lock (the run's lock, beside output.trace): a part of its path is a file, not a folder`, locked.stderr);
  assert.equal(sim.counters().chatRequests, before, 'no call made');
});

test('toa run sends remote endpoints through the proxy HTTP_PROXY names, and loopback ones direct', async () => {
  // A forward proxy that tunnels CONNECT requests, records them, and finds every host on
  // 127.0.0.1: the agents' host (.invalid) resolves nowhere else, so a run that gets answers
  // went through it.
  const tunnels: string[] = [];
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const remote = `toa-sim.invalid:${new URL(sim.url).port}`;
    const agent = (name: string, model: string): Record<string, unknown> => ({ name, baseURL: `http://${remote}/v1`, model });
    const cfg = await writeJson(
      'proxied.json',
      config({ agents: [agent('large', 'sim-large'), agent('small', 'sim-small')], output: { sft: 'proxied/s.jsonl', preference: 'proxied/p.jsonl', trace: 'proxied/t.jsonl' } }),
    );
    const env = { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' };
    const result = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await jsonl(join(dir, 'proxied/t.jsonl'))).length, 4);
    // The reward endpoint is on 127.0.0.1: never tunnelled.
    assert.ok(tunnels.length > 0 && tunnels.every((t) => t === remote), `tunnels: ${tunnels.join(', ')}`);
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
});

test('SIGTERM cancels toa run and toa compare cleanly: exit 130, prompts cut short are not reported as failed', async () => {
  const slow = await startSim({ port: 0, seed: 1, latencyMs: 300 });
  try {
    const cfg = await writeJson('slow.json', { ...config(), agents: [{ name: 'large', baseURL: `${slow.url}/v1`, model: 'sim-large' }], reward: { type: 'vllm', baseURL: slow.url, model: 'sim-reward' }, output: { sft: 'slow/s.jsonl', preference: 'slow/p.jsonl', trace: 'slow/t.jsonl' } });
    for (const command of ['run', 'compare']) {
      const before = slow.counters().chatRequests;
      const started = Date.now();
      const result = await toa([command, '--config', cfg, '--input', join(dir, 'prompts.jsonl'), ...(command === 'run' ? ['--quiet'] : [])], {
        // Mid-run: once the first chat request has reached the sim (each takes 300 ms).
        onStart: (child) => {
          const poll = setInterval(() => {
            const reached = slow.counters().chatRequests > before;
            if (reached && child.exitCode === null) child.kill('SIGTERM');
            if (reached || child.exitCode !== null) clearInterval(poll);
          }, 20);
        },
      });
      assert.equal(result.code, 130, `${command}: ${result.stderr}`);
      assert.ok(Date.now() - started < 20_000);
      assert.doesNotMatch(result.stderr, /failed: .*cancelled/, command);
      assert.match(result.stderr, /cancelling \(SIGTERM\)$/m, command);
      assert.doesNotMatch(result.stderr, /Ctrl-C/, `${command}: a signal from a process manager gets no keyboard advice`);
      if (command === 'run') assert.match(result.stderr, /cancelled: [1-9]\d* prompts? cut short(, \d+ prompts? not started)?; run the command again/);
      if (command === 'run') assert.match(result.stdout, /^outputs: /m, 'a cancelled run says where its outputs are, as a finished one does');
      if (command === 'compare') {
        // Cancelled inside the first strategy: no row to show, and no empty table either.
        assert.match(result.stderr, /cancelled: no strategy finished, so there is no table/);
        assert.equal(result.stdout, '');
      }
    }
  } finally {
    await slow.close();
  }
});

test('a Ctrl-C while toa run or toa compare is still reading its config cancels it as a Ctrl-C mid-run does', { skip: process.platform === 'win32' && 'needs mkfifo' }, async () => {
  for (const command of ['run', 'compare']) {
    // A config that is a named pipe: the CLI waits in its read until the test writes the config.
    const fifo = join(dir, `early-${command}.json`);
    execFileSync('mkfifo', [fifo]);
    const before = sim.counters().chatRequests;
    let cancelling: Promise<unknown> | undefined;
    const result = await toa([command, '--config', fifo, '--input', join(dir, 'prompts.jsonl'), ...(command === 'run' ? ['--quiet'] : [])], {
      onStart: (child) => {
        cancelling = (async () => {
          // Opening the pipe for writing waits until the CLI opens it for reading: it is then reading its config.
          const pipe = await open(fifo, 'w');
          child.kill('SIGINT');
          // Its handler says so, or (without one) the signal ends it.
          let said = '';
          await new Promise<void>((resolve) => {
            child.stderr!.on('data', (d: Buffer) => (said += d) && said.includes('cancelling') && resolve());
            child.on('exit', () => resolve());
          });
          await pipe.writeFile(JSON.stringify(config({ output: { sft: 'early/s.jsonl', preference: 'early/p.jsonl', trace: 'early/t.jsonl' } }))).catch(() => undefined);
          await pipe.close();
        })();
      },
    });
    await cancelling;
    assert.equal(result.code, 130, `${command}: ${result.stderr}`);
    assert.match(result.stderr, /cancelling \(Ctrl-C again to quit at once\)/, command);
    // The input is not counted after the cancel either, so how many prompts are left is not known.
    if (command === 'run') assert.match(result.stderr, /^cancelled: 0 prompts cut short; run the command again/m);
    else assert.match(result.stderr, /cancelled: no strategy finished, so there is no table/);
    assert.equal(sim.counters().chatRequests, before, `${command}: nothing sent`);
  }
  assert.equal(existsSync(join(dir, 'early/t.jsonl.lock')), false, 'the lock is released');
});

test('a Ctrl-C while toa run reads a big trace to resume ends the read at once: exit 130, no lock, nothing written', async () => {
  const cfg = await writeJson('big-trace.json', config({ output: { sft: 'big/s.jsonl', preference: 'big/p.jsonl', trace: 'big/t.jsonl' } }));
  await mkdir(join(dir, 'big'), { recursive: true });
  // 500,000 short rows of another config (about 25 MB): seconds to read, as a big trace of real trees is.
  const rows = Array.from({ length: 500_000 }, (_, i) => `{"promptId":"old-${i}","messages":[],"configHash":"other"}\n`).join('');
  const trace = join(dir, 'big/t.jsonl');
  await writeFile(trace, rows);
  const before = sim.counters().chatRequests;
  let interruptedAt = 0;
  const result = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], {
    onStart: (child) => {
      // Once it says it is reading the trace. Not after a set time: on a loaded machine the CLI
      // may not have started (nor set its Ctrl-C handler) within it, and the signal would kill it.
      const interrupt = (): void => {
        if (interruptedAt || child.exitCode !== null) return;
        interruptedAt = Date.now();
        child.kill('SIGINT');
      };
      child.stderr!.on('data', (d: Buffer) => String(d).includes(`reading ${trace}`) && interrupt());
    },
  });
  const took = Date.now() - interruptedAt;
  assert.ok(interruptedAt > 0, `the CLI said it was reading the trace: ${result.stderr}`);
  assert.equal(result.code, 130, result.stderr);
  assert.doesNotMatch(result.stderr, /trace rows? in .* comes? from another configuration/, 'the read stopped before the end of the trace');
  assert.ok(took < 1_500, `exited ${took} ms after the Ctrl-C`);
  assert.match(result.stderr, /^cancelled: 0 prompts cut short; run the command again/m, 'how many prompts are left is not known');
  assert.equal(existsSync(`${trace}.lock`), false, 'the lock is released');
  assert.equal(await readFile(trace, 'utf8'), rows, 'the trace is as it was');
  assert.equal(await readFile(join(dir, 'big/s.jsonl'), 'utf8').catch(() => ''), '');
  assert.equal(sim.counters().chatRequests, before, 'nothing sent');
});

test('a Ctrl-C while toa run checks the rows of a big input ends the check at once: exit 130, no lock, nothing written', async () => {
  const cfg = await writeJson('big-input.json', config({ output: { sft: 'big-in/s.jsonl', preference: 'big-in/p.jsonl', trace: 'big-in/t.jsonl' } }));
  // 300,000 short rows (about 12 MB): every row is checked before the first one runs, which takes
  // about a second here, as a big dataset takes several.
  const input = join(dir, 'big-input.jsonl');
  await writeFile(input, Array.from({ length: 300_000 }, (_, i) => `{"id":"q${i}","prompt":"Say ${i}."}\n`).join(''));
  const started = Date.now();
  const rows = readPromptRows(input, { idField: 'id', referenceField: 'reference' });
  await rows.next();
  const checkMs = Date.now() - started;
  await rows.return(undefined);
  const lock = join(dir, 'big-in/t.jsonl.lock');
  const before = sim.counters().chatRequests;
  let interruptedAt = 0;
  const result = await toa(['run', '--config', cfg, '--input', input, '--quiet'], {
    onStart: (child) => {
      // A moment after the outputs are locked: the rows are counted, and their check has begun.
      const poll = setInterval(() => {
        if (child.exitCode !== null) return clearInterval(poll);
        if (!existsSync(lock)) return;
        clearInterval(poll);
        setTimeout(() => {
          interruptedAt = Date.now();
          child.kill('SIGINT');
        }, 100);
      }, 5);
    },
  });
  const took = Date.now() - interruptedAt;
  assert.equal(result.code, 130, result.stderr);
  assert.ok(interruptedAt > 0, 'the outputs were locked');
  assert.ok(took < checkMs / 2, `exited ${took} ms after the Ctrl-C; checking the rows takes ${checkMs} ms`);
  assert.match(result.stderr, /^cancelled: 0 prompts cut short/m);
  assert.equal(existsSync(lock), false, 'the lock is released');
  for (const output of ['s', 'p', 't']) assert.equal(await readFile(join(dir, `big-in/${output}.jsonl`), 'utf8').catch(() => ''), '', `${output}.jsonl`);
  assert.equal(sim.counters().chatRequests, before, 'nothing sent');
});

test('toa sim serves until interrupted', async () => {
  let interrupted = false;
  const answers = await writeJson('answer-key.jsonl', { question: 'What is 2 + 3?', answer: 'Add them.\n#### 5' });
  const result = await toa(['sim', '--port', '0', '--answers', answers], {
    onStdout: (text, child) => {
      // Once: a second Ctrl-C would find no handler and kill the process by signal.
      if (text.includes('Ctrl-C') && !interrupted) interrupted = child.kill('SIGINT');
    },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Simulated endpoints on http:\/\/127\.0\.0\.1:\d+/);
  assert.match(result.stdout, /answer key: +1 math problem from .*answer-key\.jsonl\n/);
  // The answer key's value starts in the column of the URLs above it.
  const valueColumns = result.stdout.split('\n').slice(1, 4).map((line) => /^ {2}[^:]+: +/.exec(line)?.[0].length);
  assert.deepEqual(valueColumns, Array(3).fill(valueColumns[0]), result.stdout);
  // An answer key saved with a BOM reads as one without; one that cannot be read says why, naming it.
  const refused = (flags: string[]): Promise<Result> => toa(['sim', '--port', '0', ...flags], { onStdout: (text, child) => void (text.includes('Ctrl-C') && child.kill('SIGINT')) });
  const bomKey = join(dir, 'answer-key-bom.jsonl');
  await writeFile(bomKey, `\uFEFF${JSON.stringify({ question: 'What is 2 + 3?', answer: '#### 5' })}\r\n`);
  const bom = await refused(['--answers', bomKey]);
  assert.equal(bom.code, 0, bom.stderr);
  assert.match(bom.stdout, /answer key: +1 math problem from /);
  // Without one, it says what that means for math prompts.
  const none = await refused([]);
  assert.match(none.stdout, /answer key: +none \(math answers are made up: --answers file\.jsonl gives the right ones\)\n/);
  for (const [path, why] of [[dir, 'is a folder'], [join(dir, 'no-such-key.jsonl'), 'no such file']] as const) {
    const bad = await refused(['--answers', path]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(bad.stderr.split('\n')[0], `toa sim: --answers: ${path}: ${why}`);
  }
});

test('toa sim on a port in use says so and how to serve on another, not Node\'s EADDRINUSE', async () => {
  const port = new URL(sim.url).port;
  const taken = await toa(['sim', '--port', port]);
  assert.equal(taken.code, 1);
  assert.equal(taken.stderr, `toa sim: port ${port} on 127.0.0.1 is in use (a toa sim started earlier?): stop what holds it, or serve on another with --port\n`);
});

test("toa sim --fault-401 and --fault-402 stop a model's key after its Nth call", async () => {
  const statuses: number[] = [];
  let asked: Promise<void> | undefined;
  const result = await toa(['sim', '--port', '0', '--fault-401', 'sim-small:1', '--fault-402', 'sim-large:0,sim-reward:3'], {
    onStdout: (text, child) => {
      const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      if (!url || asked) return;
      const post = (path: string, body: unknown): Promise<number> => fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.status);
      const chat = (model: string): Promise<number> => post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] });
      asked = (async () => {
        for (const model of ['sim-small', 'sim-small', 'sim-large', 'sim-medium']) statuses.push(await chat(model));
        child.kill('SIGINT');
      })();
    },
  });
  await asked;
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(statuses, [200, 401, 402, 200]);
  // A sim that serves all the same is stopped: the test fails, rather than waiting for ever.
  const refused = (flags: string[]): Promise<Result> => toa(['sim', '--port', '0', ...flags], { onStdout: (text, child) => void (text.includes('Ctrl-C') && child.kill('SIGINT')) });
  const unknown = await refused(['--fault-401', 'sim-smal:3']);
  assert.deepEqual([unknown.code, /--fault-401: no model "sim-smal" \(models: sim-large, .*, sim-reward\)/.test(unknown.stderr)], [2, true], unknown.stderr);
  // --fault-402 too, and for any model of the list.
  const other = await refused(['--fault-402', 'sim-large:1,sim-tiny:2']);
  assert.deepEqual([other.code, /--fault-402: no model "sim-tiny" \(models: sim-large, .*, sim-reward\)/.test(other.stderr)], [2, true], other.stderr);
  const shape = await refused(['--fault-402', 'sim-small']);
  assert.deepEqual([shape.code, /--fault-402: expected <model>:<calls>\[,<model>:<calls>\.\.\.\], got "sim-small"/.test(shape.stderr)], [2, true], shape.stderr);
  // A model given twice: which count was meant is not known.
  const twice = await refused(['--fault-401', 'sim-small:1,sim-large:2,sim-small:3']);
  assert.deepEqual([twice.code, twice.stderr.includes('--fault-401: "sim-small" is given twice (sim-small:1, sim-small:3)')], [2, true], twice.stderr);
});

test('toa sim --fault-500 1 fails every chat call; a rate outside 0-1 or not a number is refused by its flag', async () => {
  let status: Promise<number> | undefined;
  const result = await toa(['sim', '--port', '0', '--fault-500', '1'], {
    onStdout: (text, child) => {
      const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      if (!url || status) return;
      const body = JSON.stringify({ model: 'sim-small', messages: [{ role: 'user', content: 'hi' }] });
      status = fetch(`${url}/v1/chat/completions`, { method: 'POST', body }).then((r) => r.status).finally(() => child.kill('SIGINT'));
    },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await status, 500);
  const refused = (flags: string[]): Promise<Result> => toa(['sim', '--port', '0', ...flags], { onStdout: (text, child) => void (text.includes('Ctrl-C') && child.kill('SIGINT')) });
  for (const [flag, value, message] of [
    ['--fault-cut', '1.5', '--fault-cut: must be a probability between 0 and 1'],
    ['--fault-malformed', '-0.1', '--fault-malformed: must be a probability between 0 and 1'],
    ['--fault-429', 'often', '--fault-429: must be a number, got "often"'],
  ] as const) {
    const bad = await refused([`${flag}=${value}`]);
    assert.deepEqual([bad.code, bad.stderr.includes(message)], [2, true], bad.stderr);
  }
});

test('a reward without apiKeyEnv is sent no key, whatever the environment holds', async () => {
  const seen: (string | undefined)[] = [];
  const scorer = createServer((req, res) => {
    seen.push(req.headers.authorization);
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"score":0.5}'));
  });
  await new Promise<void>((resolve) => scorer.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(scorer.address() as AddressInfo).port}/score`;
    const reward = { type: 'http', url, bodyTemplate: '{"text": {{response}}}', scorePath: 'score' };
    const cfg = await writeJson('keyless-reward.json', config({ reward, search: { budget: 3, seed: 1 }, output: { sft: 'kr/s.jsonl', preference: 'kr/p.jsonl', trace: 'kr/t.jsonl' } }));
    const result = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], { env: { reward: 'sk-not-for-this-server', REWARD: 'sk-not-either' } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(seen.length >= prompts.length * 3, `${seen.length} scoring calls`);
    assert.deepEqual(new Set(seen), new Set([undefined]));
  } finally {
    await new Promise((resolve) => scorer.close(resolve));
  }
});

test('a key refused mid-run (revoked) stops toa run, saying it was accepted earlier; the prompts done are kept, and the same command resumes', async () => {
  // The key works for 4 scores, then is refused until it is restored.
  let restored = false;
  let scored = 0;
  const scorer = createServer((req, res) => {
    req.resume().on('end', () => {
      const refuse = !restored && ++scored > 4;
      res.writeHead(refuse ? 401 : 200, { 'content-type': 'application/json' }).end(refuse ? '{"error":{"message":"Invalid API key"}}' : '{"score":0.5}');
    });
  });
  await new Promise<void>((resolve) => scorer.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(scorer.address() as AddressInfo).port}/score`;
    const reward = { type: 'http', url, bodyTemplate: '{"text": {{response}}}', scorePath: 'score', apiKeyEnv: 'TOA_TEST_SCORER_KEY' };
    const cfg = await writeJson('revoked.json', config({ reward, search: { strategy: 'best-of-n', budget: 2, seed: 1 }, run: { concurrency: 1 }, output: { sft: 'rv/s.jsonl', preference: 'rv/p.jsonl', trace: 'rv/t.jsonl' } }));
    const env = { TOA_TEST_SCORER_KEY: 'scorer-key-1234' };
    const stopped = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], { env });
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr, /\ntoa run: reward http: 401 Invalid API key \(POST http:\/\/127\.0\.0\.1:\d+\/score\)\. The endpoint did not accept the API key: check the key set for it \(.*\)\. The key was accepted earlier in this run\. Every call with these settings would be refused, so the run stops\.\n/);
    const kept = (await jsonl(join(dir, 'rv/t.jsonl'))).length;
    assert.ok(kept >= 1 && kept < prompts.length, `${kept} trace rows`);
    assert.match(stopped.stderr, new RegExp(`^stopped: the outputs hold the ${kept} prompts? done before the stop; once its cause \\(below\\) is fixed, run the command again \\(without --fresh\\) to go on, the prompts already in the trace are skipped\ntoa run: `, 'm'));
    assert.equal((await jsonl(join(dir, 'rv/s.jsonl'))).length, kept);
    restored = true;
    const resumed = await toa(['run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], { env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`\\b${prompts.length - kept} done\\b.*\\b${kept} skipped`));
    assert.equal((await jsonl(join(dir, 'rv/t.jsonl'))).length, prompts.length);
  } finally {
    await new Promise((resolve) => scorer.close(resolve));
  }
});
