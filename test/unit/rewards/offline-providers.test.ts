import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rewardSchema, type RewardConfig } from '../../../src/core/config/schema';
import { createReward } from '../../../src/core/rewards/create';
import { RewardError } from '../../../src/core/rewards/types';

const EXIT_MID_SCORE = join(__dirname, 'fixtures', 'exit-mid-score.ts');
const live = (): AbortSignal => new AbortController().signal;
const config = (raw: Record<string, unknown>): RewardConfig => rewardSchema.parse(raw);
const row = JSON.parse(readFileSync('/work/shared/data/gsm8k-test.jsonl', 'utf8').split('\n')[0]!) as { question: string; answer: string };
const messages = [{ role: 'user' as const, content: row.question }];

describe('reference reward', () => {
  it('math: 1 when the final answers agree, else 0', async () => {
    const model = createReward(config({ type: 'reference', check: 'math' }), { task: 'math' });
    assert.equal(model.name, 'reference:math');
    assert.equal((await model.score({ messages, response: '16 - 3 - 4 = 9 eggs, 9 * 2 = 18\n#### 18', reference: row.answer }, live())).reward, 1);
    assert.equal((await model.score({ messages, response: 'She makes $20 a day.', reference: row.answer }, live())).reward, 0);
  });

  it('chrf: chrF on a 0..1 scale against the reference', async () => {
    const model = createReward(config({ type: 'reference', check: 'chrf' }), { task: 'translation' });
    assert.equal((await model.score({ messages, response: 'Good morning', reference: 'Good morning' }, live())).reward, 1);
    const partial = (await model.score({ messages, response: 'Good evening', reference: 'Good morning' }, live())).reward;
    assert.ok(partial > 0 && partial < 1);
  });

  it('names the prompt id when a row has no reference', async () => {
    const model = createReward(config({ type: 'reference', check: 'math' }), { task: 'math' });
    await assert.rejects(model.score({ messages, response: '#### 18', promptId: 'gsm-7' }, live()), (error: unknown) => {
      assert.ok(error instanceof RewardError);
      assert.match(error.message, /prompt "gsm-7" has no reference answer/);
      return true;
    });
    await assert.rejects(model.score({ messages, response: '#### 18', reference: '  ' }, live()), /the prompt "Janet’s ducks lay/);
  });
});

/** A command that runs `script` with node itself, so the test needs nothing installed. */
const node = (script: string, timeoutMs?: number): RewardConfig =>
  config({ type: 'command', command: [process.execPath, '-e', script], ...(timeoutMs ? { timeoutMs } : {}) });
/** A folder with `score.sh` (`body`), which is given the file to write its grandchild's pid to. */
function scriptFolder(body: string): { folder: string; pidFile: string } {
  const folder = mkdtempSync(join(tmpdir(), 'toa-command-'));
  writeFileSync(join(folder, 'score.sh'), body);
  return { folder, pidFile: join(folder, 'grandchild.pid') };
}

/** Whether `pid` still runs; a zombie (killed, its parent gone, not reaped yet by init) does not. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) has the last word
  }
}

/** Runs `call`, then expects the pid the script wrote to be gone within 2 s; kills it either way. */
async function withGrandchild(pidFile: string, call: () => Promise<void>): Promise<void> {
  let pid: number | undefined;
  try {
    await call();
    pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(Number.isInteger(pid) && pid > 0, `the script wrote its grandchild's pid: ${pid}`);
    const deadline = Date.now() + 2000;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(running(pid), false, `the command's grandchild (pid ${pid}) still runs`);
  } finally {
    if (pid === undefined && existsSync(pidFile)) pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    rmSync(dirname(pidFile), { recursive: true, force: true });
  }
}

const readStdin = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);`;

describe('command reward', () => {
  it('passes {prompt, messages, response, reference} on stdin and reads the number printed', async () => {
    const script = `${readStdin}const ok=j.prompt===j.messages[0].content&&j.reference==='R';console.log(ok?String(j.response.length+0.5):'bad')})`;
    const model = createReward(node(script), { task: 'instruction' });
    assert.equal((await model.score({ messages, response: 'abcd', reference: 'R' }, live())).reward, 4.5);
  });

  it('sends reference null when the row has none', async () => {
    const model = createReward(node(`${readStdin}console.log(j.reference===null?1:0)})`), { task: 'instruction' });
    assert.equal((await model.score({ messages, response: 'x' }, live())).reward, 1);
  });

  it('quotes stderr on a non-zero exit', async () => {
    const model = createReward(node(`console.error('model file missing: rm.bin');process.exit(3)`), { task: 'instruction' });
    await assert.rejects(model.score({ messages, response: 'x' }, live()), /reward command: .* exited with code 3; it said: "model file missing: rm\.bin"/);
  });

  it('quotes stdout when it is not a number', async () => {
    const model = createReward(node(`console.log('score is high')`), { task: 'instruction' });
    await assert.rejects(model.score({ messages, response: 'x' }, live()), /printed no finite decimal number on stdout: "score is high"/);
    const silent = createReward(node(''), { task: 'instruction' });
    await assert.rejects(silent.score({ messages, response: 'x' }, live()), /printed no finite decimal number on stdout: ""/);
  });

  it('kills a command that runs past its timeout', async () => {
    // 1.5 s: node must start and print before the kill, also on a loaded machine.
    const model = createReward(node(`console.error('warming up');setTimeout(()=>{},60000)`, 1500), { task: 'instruction' });
    await assert.rejects(model.score({ messages, response: 'x' }, live()), /timed out after 1500 ms; it said: "warming up"/);
  });

  it('a timeout kills what the command started too: a wrapper script\'s sleep does not outlive it', { skip: process.platform === 'win32' && 'process groups are POSIX' }, async () => {
    const { folder, pidFile } = scriptFolder('sleep 30 &\necho $! > "$1"\nwait\n');
    const model = createReward(config({ type: 'command', command: ['/bin/sh', 'score.sh', pidFile], timeoutMs: 1000 }), { task: 'instruction', cwd: folder });
    await withGrandchild(pidFile, async () => {
      await assert.rejects(model.score({ messages, response: 'x' }, live()), /reward command: \/bin\/sh timed out after 1000 ms$/);
    });
  });

  it('a cancel kills what the command started too', { skip: process.platform === 'win32' && 'process groups are POSIX' }, async () => {
    const { folder, pidFile } = scriptFolder('sleep 30 &\necho $! > "$1"\nwait\n');
    const model = createReward(config({ type: 'command', command: ['/bin/sh', 'score.sh', pidFile] }), { task: 'instruction', cwd: folder });
    await withGrandchild(pidFile, async () => {
      const controller = new AbortController();
      const call = model.score({ messages, response: 'x' }, controller.signal);
      for (const deadline = Date.now() + 3000; !existsSync(pidFile) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
      const reason = new Error('cancelled');
      controller.abort(reason);
      await assert.rejects(call, (e) => e === reason);
    });
  });

  it('a process that exits mid-call (a crash, process.exit) kills the command group it started', { skip: process.platform === 'win32' && 'process groups are POSIX' }, async () => {
    const { folder, pidFile } = scriptFolder('sleep 30 &\necho $! > "$1"\nwait\n');
    await withGrandchild(pidFile, async () => {
      const exited = spawnSync(process.execPath, ['--import', 'tsx', EXIT_MID_SCORE, folder, pidFile], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(exited.status, 3, `the fixture saw the pid file and exited: ${exited.stderr}`);
    });
  });

  it('a command that exits leaves nothing it started running (its output redirected, so the call ends)', { skip: process.platform === 'win32' && 'process groups are POSIX' }, async () => {
    const { folder, pidFile } = scriptFolder('sleep 30 </dev/null >/dev/null 2>&1 &\necho $! > "$1"\ncat >/dev/null\necho 0.5\n');
    const model = createReward(config({ type: 'command', command: ['/bin/sh', 'score.sh', pidFile] }), { task: 'instruction', cwd: folder });
    await withGrandchild(pidFile, async () => {
      assert.equal((await model.score({ messages, response: 'x' }, live())).reward, 0.5);
    });
  });

  it("runs in the given folder (the config file's), so relative script paths work from anywhere", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'toa-command-'));
    writeFileSync(join(folder, 'score.js'), "process.stdin.resume();process.stdin.on('end',()=>console.log(0.25))");
    const model = createReward(config({ type: 'command', command: [process.execPath, 'score.js'] }), { task: 'instruction', cwd: folder });
    assert.equal((await model.score({ messages, response: 'x' }, live())).reward, 0.25);
  });

  it('reports a program that cannot be started', async () => {
    const model = createReward(config({ type: 'command', command: ['/nonexistent/scorer'] }), { task: 'instruction' });
    await assert.rejects(model.score({ messages, response: 'x' }, live()), /cannot run \/nonexistent\/scorer: spawn \/nonexistent\/scorer ENOENT/);
  });

  it('kills the command and rejects with the abort reason', async () => {
    const model = createReward(node(`setTimeout(()=>{},60000)`), { task: 'instruction' });
    const controller = new AbortController();
    const call = model.score({ messages, response: 'x' }, controller.signal);
    const reason = new Error('cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(call, (e) => e === reason);
  });
});
