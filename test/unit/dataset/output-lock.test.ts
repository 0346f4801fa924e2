import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { tempDir } from './temp-dir';
import { lockOutputs, lockOutsideRun } from '../../../src/core/dataset/output-lock';

describe('lockOutputs', () => {
  const inDir = tempDir('toa-lock-');

  const deadPid = async (): Promise<number> => {
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    return child.pid!;
  };

  it('holds the outputs for one run: a second is refused until the first releases', async () => {
    const trace = inDir('a', 'traces.jsonl');
    const lock = lockOutputs(trace, 'run-1');
    assert.deepEqual(lock.crashed.runIds, []);
    assert.deepEqual(JSON.parse(await readFile(`${trace}.lock`, 'utf8')).runId, 'run-1');
    // Another live process holds it (this test's parent stands in for one).
    await writeFile(`${trace}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), started: 'then', runId: 'other' }));
    assert.throws(() => lockOutputs(trace, 'run-2'), /traces\.jsonl is being written by another run \(pid \d+ on .*, since then\)/);
    lock.release();
    assert.equal(existsSync(`${trace}.lock`), false);
    lockOutputs(trace, 'run-3').release();
  });

  it("is not taken over as a dead run's while a run of this process holds it; a decision by hand writes under that run's", async () => {
    const trace = inDir('own', 'traces.jsonl');
    const run = lockOutputs(trace, 'run-1');
    // Its pid is ours, which reads as a dead run's (see running): taken over, two runs would write.
    assert.throws(() => lockOutputs(trace, 'run-2'), /traces\.jsonl is being written by another run \(pid \d+ /);
    assert.equal(lockOutsideRun(trace, 'hand-1'), undefined, "the run's sinks take the decision's rows");
    run.release();
    const hand = lockOutsideRun(trace, 'hand-2');
    assert.equal(JSON.parse(await readFile(`${trace}.lock`, 'utf8')).runId, 'hand-2', 'free: taken for the decision');
    hand!.release();
    // A live run of another process (this test's parent stands in for one): refused.
    await mkdir(dirname(trace), { recursive: true });
    await writeFile(`${trace}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), started: 'then', runId: 'other' }));
    assert.throws(() => lockOutsideRun(trace, 'hand-3'), /traces\.jsonl is being written by another run \(pid \d+ on .*, since then\)/);
  });

  it("says a lock it cannot create in words, as beside output.trace, not in Node's", async () => {
    await writeFile(inDir('plain'), '');
    const trace = inDir('plain', 'below', 'traces.jsonl');
    assert.throws(() => lockOutputs(trace, 'run-1'), (error: Error) => error.message === `${trace}.lock (the run's lock, beside output.trace): a part of its path is a file, not a folder`);
  });

  it('removes at its end the folders it made for itself while they are empty, and no other', async () => {
    // Nothing written: the folders the lock made go with it.
    const idle = inDir('made', 'deeper', 'traces.jsonl');
    lockOutputs(idle, 'run-1').release();
    assert.equal(existsSync(inDir('made')), false, 'a run that wrote nothing leaves no folder');
    // A row written there: the folder stays, and so do those above it.
    const wrote = inDir('made', 'deeper', 'traces.jsonl');
    const lock = lockOutputs(wrote, 'run-2');
    await writeFile(wrote, '{}\n');
    lock.release();
    assert.equal(await readFile(wrote, 'utf8'), '{}\n');
    // A folder that was there is not its to remove, empty or not.
    await mkdir(inDir('there'));
    lockOutputs(inDir('there', 'traces.jsonl'), 'run-3').release();
    assert.equal(existsSync(inDir('there')), true);
    // Another run's output in it (another trace, so another lock) keeps it.
    const mine = inDir('shared', 'mine.jsonl');
    const shared = lockOutputs(mine, 'run-4');
    await writeFile(inDir('shared', 'theirs.jsonl'), '{}\n');
    shared.release();
    assert.equal(existsSync(inDir('shared', 'theirs.jsonl')), true);
  });

  const outputsOf = (trace: string): { sft: string; preference: string; trace: string } => ({ sft: `${trace}.sft`, preference: `${trace}.pairs`, trace });

  /** A trace path in a folder of its own, whose lock file says `owner` holds it. */
  const leftLock = async (folder: string, owner: { pid: number; host: string; runId: string }): Promise<string> => {
    const trace = inDir(folder, 'traces.jsonl');
    await mkdir(dirname(trace), { recursive: true });
    await writeFile(`${trace}.lock`, JSON.stringify({ ...owner, started: 'then' }));
    return trace;
  };

  it('takes over a lock whose run died, and names that run for recovery', async () => {
    // A lock as an earlier version wrote it: no marks, so recovery reads the outputs' last rows as that version did.
    const lock = lockOutputs(await leftLock('b', { pid: await deadPid(), host: hostname(), runId: 'crashed' }), 'next');
    assert.deepEqual(lock.crashed, { runIds: ['crashed'] });
    lock.release();
  });

  it('takes over a lock whose run is a zombie: killed, and never reaped by a parent that waits for no child', { skip: (process.platform !== 'linux' || !existsSync('/bin/sh')) && 'needs Linux and /bin/sh' }, async () => {
    // The subshell waits until its parent has become `sleep` (exec), which never waits for a child,
    // then exits: a zombie until sleep ends, as a run killed in a container whose PID 1 reaps none.
    const parent = spawn('/bin/sh', ['-c', '(while [ "$(cat /proc/$$/comm)" != sleep ]; do sleep 0.01; done) & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
      const zombie = Number(line);
      const state = async (): Promise<string> => (await readFile(`/proc/${zombie}/stat`, 'utf8')).replace(/^.*\)\s+/s, '')[0]!;
      for (const start = Date.now(); (await state()) !== 'Z'; ) {
        assert.ok(Date.now() - start < 10_000, 'the subshell became a zombie');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      process.kill(zombie, 0); // kill(pid, 0) still finds it: that alone took it for a live run.
      const lock = lockOutputs(await leftLock('zombie', { pid: zombie, host: hostname(), runId: 'killed' }), 'next');
      assert.deepEqual(lock.crashed, { runIds: ['killed'] });
      lock.release();
    } finally {
      parent.kill('SIGKILL');
      await once(parent, 'exit');
    }
  });

  it('records where a run begins appending, and hands that on with the runs it names', async () => {
    const trace = inDir('marks', 'traces.jsonl');
    const paths = { sft: inDir('marks', 'sft.jsonl'), preference: inDir('marks', 'pairs.jsonl'), trace };
    await mkdir(dirname(trace), { recursive: true });
    await writeFile(paths.sft, 'an older run\'s row\n');
    const a = lockOutputs(trace, 'a');
    a.appending(paths);
    const marks = JSON.parse(await readFile(`${trace}.lock`, 'utf8')).from;
    assert.deepEqual([marks.sft.bytes, marks.preference.bytes, marks.trace.bytes], [19, 0, 0], 'sizes when a began; outputs not there yet are 0');
    await writeFile(`${trace}.lock`, JSON.stringify({ ...JSON.parse(await readFile(`${trace}.lock`, 'utf8')), pid: await deadPid() }));
    const b = lockOutputs(trace, 'b');
    assert.deepEqual(b.crashed, { runIds: ['a'], from: marks });
    await writeFile(`${trace}.lock`, JSON.stringify({ ...JSON.parse(await readFile(`${trace}.lock`, 'utf8')), pid: await deadPid() }));
    const c = lockOutputs(trace, 'c');
    assert.deepEqual(c.crashed, { runIds: ['b', 'a'], from: marks }, "b died before appending: a's marks still say where the rows to look at begin");
    c.release();
  });

  it('a run that dies before it restored the crashed run\'s rows hands that run on with its own; once restored, only its own', async () => {
    const lockOf = async (trace: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(`${trace}.lock`, 'utf8')) as Record<string, unknown>;
    /** The lock's run dies: its lock stays as it was, with a pid that is gone. */
    const dies = async (trace: string): Promise<void> => writeFile(`${trace}.lock`, JSON.stringify({ ...(await lockOf(trace)), pid: await deadPid() }));
    const trace = await leftLock('h', { pid: await deadPid(), host: hostname(), runId: 'a' });
    const b = lockOutputs(trace, 'b');
    assert.deepEqual(b.crashed.runIds, ['a']);
    // b is killed while it restores a's rows (the window between taking the lock and appending()).
    await dies(trace);
    const c = lockOutputs(trace, 'c');
    assert.deepEqual(c.crashed.runIds, ['b', 'a'], "a's rows may still be missing: c restores them too");
    c.appending(outputsOf(trace));
    assert.equal((await lockOf(trace)).runId, 'c');
    // c is killed later, searching: only its own rows may be missing.
    await dies(trace);
    const { pid } = (await lockOf(trace)) as { pid: number };
    await writeFile(`${trace}.lock.${pid}.tmp`, 'what a run killed inside a rewrite of its lock leaves');
    const d = lockOutputs(trace, 'd');
    assert.deepEqual(d.crashed.runIds, ['c']);
    assert.equal(existsSync(`${trace}.lock.${pid}.tmp`), false, "the dead run's leftover is removed");
    d.release();
  });

  it("a run that could not restore the crashed run's rows keeps the lock: the next run takes it over and restores them", async () => {
    const trace = await leftLock('f', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
    const failed = lockOutputs(trace, 'failed');
    assert.deepEqual(failed.crashed.runIds, ['crashed']);
    // Its restore failed (a full disk): it ends without appending().
    failed.release();
    assert.equal(existsSync(`${trace}.lock`), true, 'kept, naming the crashed run');
    // The run that failed lives on (the extension's window: this test's parent stands in for it):
    // the next run, in another window, takes the lock over all the same.
    const kept = JSON.parse(await readFile(`${trace}.lock`, 'utf8')) as Record<string, unknown>;
    await writeFile(`${trace}.lock`, JSON.stringify({ ...kept, pid: process.ppid }));
    const next = lockOutputs(trace, 'next');
    assert.deepEqual(next.crashed.runIds, ['failed', 'crashed']);
    next.appending(outputsOf(trace));
    next.release();
    assert.equal(existsSync(`${trace}.lock`), false, 'released once restored');
  });

  it('a full disk leaves no room for a new lock file: the kept lock is handed on in place', async () => {
    const trace = await leftLock('g', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
    const failed = lockOutputs(trace, 'failed');
    // The rewrite's new file cannot be made (as on a full disk): a directory stands in its way.
    await mkdir(`${trace}.lock.${process.pid}.tmp`);
    failed.release();
    const kept = JSON.parse(await readFile(`${trace}.lock`, 'utf8')) as Record<string, unknown>;
    assert.equal(kept.handedOn, true);
    assert.deepEqual([kept.runId, kept.unrecovered], ['failed', ['crashed']]);
    await rm(`${trace}.lock.${process.pid}.tmp`, { recursive: true });
    await writeFile(`${trace}.lock`, JSON.stringify({ ...kept, pid: process.ppid }));
    assert.deepEqual(lockOutputs(trace, 'next').crashed.runIds, ['failed', 'crashed']);
  });

  it('a lock that cannot be rewritten with the marks does not stop the run: it appends, and releases the lock', async () => {
    const trace = await leftLock('h', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
    const lock = lockOutputs(trace, 'run');
    await mkdir(`${trace}.lock.${process.pid}.tmp`);
    lock.appending(outputsOf(trace));
    lock.release();
    assert.equal(existsSync(`${trace}.lock`), false);
  });

  it("a lock with this process's own pid is a dead run's (a restarted container reuses pid 1)", async () => {
    const lock = lockOutputs(await leftLock('c', { pid: process.pid, host: hostname(), runId: 'before-restart' }), 'after-restart');
    assert.deepEqual(lock.crashed.runIds, ['before-restart']);
    lock.release();
  });

  it('a takeover claim left by a run killed inside it does not block the next takeover for good', async () => {
    const trace = await leftLock('e', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
    await mkdir(`${trace}.lock.takeover`);
    const then = new Date(Date.now() - 60_000);
    await utimes(`${trace}.lock.takeover`, then, then);
    const lock = lockOutputs(trace, 'next');
    assert.deepEqual(lock.crashed.runIds, ['crashed']);
    assert.equal(existsSync(`${trace}.lock.takeover`), false);
    lock.release();
  });

  it('a takeover claim a run was killed writing (empty) is waited out, not taken for a live run of the dead lock', async () => {
    const trace = await leftLock('e2', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
    await writeFile(`${trace}.lock.takeover`, '');
    // Stale in 3 s: longer than the tries a lock makes otherwise last.
    const then = new Date(Date.now() - 7_000);
    await utimes(`${trace}.lock.takeover`, then, then);
    const lock = lockOutputs(trace, 'next');
    assert.deepEqual(lock.crashed.runIds, ['crashed']);
    lock.release();
  });

  it('a takeover claim whose run is gone does not hold the next run back, however fresh', async () => {
    // A run killed just after its claim replaced the dead lock (or just before): the claim and
    // the lock name dead pids. The next run must not wait for the claim to age, nor say that
    // "another run" is writing.
    const dead = await deadPid();
    const trace = await leftLock('f', { pid: dead, host: hostname(), runId: 'killed-in-takeover' });
    await writeFile(`${trace}.lock.takeover`, JSON.stringify({ pid: dead, host: hostname(), started: 'now', runId: 'killed-in-takeover' }));
    const lock = lockOutputs(trace, 'next');
    assert.deepEqual(lock.crashed.runIds, ['killed-in-takeover']);
    assert.equal(existsSync(`${trace}.lock.takeover`), false);
    assert.equal(JSON.parse(await readFile(`${trace}.lock`, 'utf8')).runId, 'next');
    lock.release();
  });

  it('a takeover claim of a live run is waited for, and the lock it took refuses the next run', async () => {
    const trace = await leftLock('g', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
    // This test's parent stands in for a live run inside its takeover.
    await writeFile(`${trace}.lock.takeover`, JSON.stringify({ pid: process.ppid, host: hostname(), started: 'now', runId: 'live' }));
    assert.throws(() => lockOutputs(trace, 'next'), /being written by another run/);
    assert.equal(existsSync(`${trace}.lock.takeover`), true, 'a live claim is left alone');
  });

  it('a trace folder that is a link to something missing is said so at once, not as a busy lock after many tries', async () => {
    await symlink(inDir('unmounted'), inDir('share'));
    const trace = inDir('share', 'traces.jsonl');
    assert.throws(() => lockOutputs(trace, 'run-1'), (error: Error) => {
      assert.equal(error.message, `${trace}.lock (the run's lock, beside output.trace): a link in its path points to something missing (an unmounted drive or share?)`);
      return true;
    });
  });

  it('a folder where the lock goes is said so at once, not as a busy lock after many tries', async () => {
    const trace = inDir('lock-is-folder', 'traces.jsonl');
    await mkdir(`${trace}.lock`, { recursive: true });
    assert.throws(() => lockOutputs(trace, 'run-1'), (error: Error) => {
      assert.equal(error.message, `${trace}.lock (the run's lock, beside output.trace): is a folder`);
      return true;
    });
  });

  it("names what named the trace: the extension's setting, when a setting did", async () => {
    const trace = inDir('set-by-setting', 'traces.jsonl');
    await mkdir(`${trace}.lock`, { recursive: true });
    assert.throws(() => lockOutputs(trace, 'run-1', 'setting toaStudio.output.trace'), (error: Error) => {
      assert.equal(error.message, `${trace}.lock (the run's lock, beside setting toaStudio.output.trace): is a folder`);
      return true;
    });
    await writeFile(inDir('parent-is-file'), '');
    const below = inDir('parent-is-file', 'traces.jsonl');
    assert.throws(() => lockOutputs(below, 'run-1', 'setting toaStudio.output.trace'), (error: Error) => error.message.startsWith(`${below}.lock (the run's lock, beside setting toaStudio.output.trace): `));
  });

  it('a lock from another host is never taken over', async () => {
    const trace = await leftLock('d', { pid: await deadPid(), host: 'elsewhere', runId: 'remote' });
    assert.throws(() => lockOutputs(trace, 'local'), /pid \d+ on elsewhere.*delete .*traces\.jsonl\.lock if no such run is active/);
  });

  describe('guards on the other outputs', () => {
    const sharedSft = (folder: string) => ({ path: inDir(folder, 'sft.jsonl'), field: 'output.sft' });
    const traceIn = (folder: string, run: string): string => inDir(folder, run, 'traces.jsonl');

    it('keeps apart runs with traces of their own that share an SFT file, leaving nothing of the refused run', async () => {
      const sft = sharedSft('guard-a');
      await mkdir(inDir('guard-a'), { recursive: true });
      const a = lockOutputs(traceIn('guard-a', 'a'), 'run-a', 'output.trace', [sft, { path: inDir('guard-a', 'a', 'pairs.jsonl'), field: 'output.preference' }]);
      assert.equal(JSON.parse(await readFile(`${sft.path}.lock`, 'utf8')).runId, 'run-a');
      assert.throws(() => lockOutputs(traceIn('guard-a', 'b'), 'run-b', 'output.trace', [sft]), new RegExp(`^Error: ${sft.path.replace(/[.]/g, '\\.')} is being written by another run \\(pid ${process.pid} `));
      assert.equal(existsSync(inDir('guard-a', 'b')), false, "the refused run's trace lock and the folder it made for it are gone");
      // Another live process's guard refuses it the same way (this test's parent stands in for one).
      a.release();
      await writeFile(`${sft.path}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), started: 'then', runId: 'other', guards: '/elsewhere/traces.jsonl' }));
      assert.throws(() => lockOutputs(traceIn('guard-a', 'b'), 'run-b', 'output.trace', [sft]), /sft\.jsonl is being written by another run \(pid \d+ on .*, since then\)/);
      await rm(`${sft.path}.lock`);
      const b = lockOutputs(traceIn('guard-a', 'b'), 'run-b', 'output.trace', [sft]);
      b.release();
      assert.deepEqual([existsSync(`${sft.path}.lock`), existsSync(inDir('guard-a', 'a', 'pairs.jsonl.lock'))], [false, false], 'released with the run');
    });

    it("takes over a dead run's guard, which names no run to recover; a trace's lock there refuses the run", async () => {
      const sft = sharedSft('guard-b');
      await mkdir(inDir('guard-b'), { recursive: true });
      await writeFile(`${sft.path}.lock`, JSON.stringify({ pid: await deadPid(), host: hostname(), started: 'then', runId: 'dead', guards: '/elsewhere/traces.jsonl' }));
      const lock = lockOutputs(traceIn('guard-b', 'a'), 'run-a', 'output.trace', [sft]);
      assert.deepEqual(lock.crashed.runIds, []);
      assert.equal(JSON.parse(await readFile(`${sft.path}.lock`, 'utf8')).runId, 'run-a');
      lock.release();
      // The SFT file is the trace of other outputs, whose run died: its lock names that run for recovery.
      await writeFile(`${sft.path}.lock`, JSON.stringify({ pid: await deadPid(), host: hostname(), started: 'then', runId: 'crashed' }));
      assert.throws(() => lockOutputs(traceIn('guard-b', 'a'), 'run-a', 'output.trace', [sft]), /sft\.jsonl \(output\.sft\) is the trace output of another run's outputs .*use other outputs\./);
      assert.equal(JSON.parse(await readFile(`${sft.path}.lock`, 'utf8')).runId, 'crashed', 'kept for that trace\'s next run');
    });

    it("a dead run's guard where a trace's lock goes is taken over with no run to recover", async () => {
      const trace = await leftLock('guard-c', { pid: await deadPid(), host: hostname(), runId: 'dead' });
      await writeFile(`${trace}.lock`, JSON.stringify({ ...JSON.parse(await readFile(`${trace}.lock`, 'utf8')), guards: '/elsewhere/traces.jsonl' }));
      const lock = lockOutputs(trace, 'run-a');
      assert.deepEqual(lock.crashed.runIds, []);
      lock.release();
    });

    it("a crashed run's lock taken over, then refused a guard, is handed on naming that run", async () => {
      const trace = await leftLock('guard-d', { pid: await deadPid(), host: hostname(), runId: 'crashed' });
      const sft = sharedSft('guard-d');
      await writeFile(`${sft.path}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), started: 'then', runId: 'other', guards: '/elsewhere/traces.jsonl' }));
      assert.throws(() => lockOutputs(trace, 'run-a', 'output.trace', [sft]), /sft\.jsonl is being written by another run/);
      await rm(`${sft.path}.lock`);
      const next = lockOutputs(trace, 'run-b', 'output.trace', [sft]);
      assert.ok(next.crashed.runIds.includes('crashed'), next.crashed.runIds.join());
      next.release();
    });
  });
});

describe('lockOutputs, runs racing for a dead run\'s lock', () => {
  const inDir = tempDir('toa-lock-race-');

  /**
   * `count` processes call lockOutputs on each trace in turn, all at the same instant per trace
   * (a shared start time, spun on, sent once every process is up: starting node under load can
   * take seconds), and hold every lock they win until every process has reported, so no winner
   * is dead (and fair game) while the others try. Returns, per trace, who won.
   */
  const race = async (traces: string[], count: number): Promise<Array<Array<string | false>>> => {
    const script = `
      const { lockOutputs } = require(${JSON.stringify(require.resolve('../../../src/core/dataset/output-lock'))});
      process.stdin.once('data', (data) => {
        const start = Number(String(data));
        const won = ${JSON.stringify(traces)}.map((trace, round) => {
          while (Date.now() < start + round * 100);
          try { return lockOutputs(trace, 'run-' + process.pid).crashed.runIds[0] ?? 'no crashed run'; } catch { return false; }
        });
        process.stdout.write(JSON.stringify(won) + '\\n');
        process.stdin.once('end', () => process.exit(0));
      });
      process.stdout.write('ready\\n');`;
    const children = Array.from({ length: count }, () => spawn(process.execPath, ['--import', 'tsx', '-e', script]));
    const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
    const nextLine = async (i: number): Promise<string> => String((await lines[i]!.next()).value);
    assert.deepEqual(await Promise.all(children.map((_, i) => nextLine(i))), children.map(() => 'ready'));
    const start = Date.now() + 300;
    for (const child of children) child.stdin.write(String(start));
    const results = await Promise.all(children.map(async (_, i) => JSON.parse(await nextLine(i)) as Array<string | false>));
    await Promise.all(children.map((child) => (child.stdin.end(), once(child, 'exit'))));
    return traces.map((_, round) => results.map((r) => r[round]!));
  };

  it('exactly one of them takes it over, and learns which run crashed', async () => {
    const traces = await Promise.all(
      Array.from({ length: 20 }, async (_, round) => {
        const trace = inDir(`r${round}`, 'traces.jsonl');
        await mkdir(dirname(trace), { recursive: true });
        await writeFile(`${trace}.lock`, JSON.stringify({ pid: 999_999_999, host: hostname(), started: 'then', runId: 'crashed' }));
        return trace;
      }),
    );
    const rounds = await race(traces, 8);
    // A run that got the lock without taking it over (it found none, mid-takeover) would not
    // know the crashed run, whose missing rows would then never be restored.
    rounds.forEach((won, round) => assert.deepEqual(won.filter(Boolean), ['crashed'], `round ${round}: ${won.join(' ')}`));
  });
});
