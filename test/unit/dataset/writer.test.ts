import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, symlink, writeFile, type FileHandle } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { heldLock } from './held-lock';
import { tempDir } from './temp-dir';
import type { ChatMessage } from '../../../src/core/chat';
import { conversationId, conversationKey, DonePrompts } from '../../../src/core/dataset/done';
import { leftPartOfRow, openJsonlAppender, readDonePrompts, resumeSkipNotes, type RepairReport } from '../../../src/core/dataset/writer';

describe('openJsonlAppender', () => {
  const inDir = tempDir('toa-writer-');
  const held = heldLock(inDir);

  const noRepair = (report: RepairReport): void => assert.fail(`unexpected repair: ${JSON.stringify(report)}`);

  it('creates parent folders and appends whole lines', async () => {
    const path = inDir('a', 'b', 'out.jsonl');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair } });
    await out.append(['{"n":1}', '{"n":2}']);
    await out.append([]);
    await out.append(['{"n":3}']);
    await out.close();
    assert.equal(await readFile(path, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('creates the file and its folders with its first row: an appender that appends none leaves neither behind', async () => {
    const idle = inDir('idle', 'deeper', 'out.jsonl');
    const none = await openJsonlAppender(idle, { repair: { lock: held(), onRepair: noRepair } });
    await none.append([]);
    await none.close();
    assert.equal(existsSync(idle), false, 'no row, no file');
    assert.equal(existsSync(inDir('idle')), false, 'no row, no folder');
    const later = await openJsonlAppender(idle, { repair: { lock: held(), onRepair: noRepair } });
    await later.append(['{"n":1}']);
    await later.close();
    assert.equal(await readFile(idle, 'utf8'), '{"n":1}\n', 'the first row makes the folders');
    const lazy = inDir('lazy.jsonl');
    const out = await openJsonlAppender(lazy, { repair: { lock: held(), onRepair: noRepair } });
    assert.equal(existsSync(lazy), false, 'not created at open');
    await out.append(['{"n":1}']);
    assert.equal(await readFile(lazy, 'utf8'), '{"n":1}\n');
    await out.close();
  });

  it("says an output it cannot open in words, with its config field, not in Node's", async () => {
    await mkdir(inDir('folder.jsonl'), { recursive: true });
    await writeFile(inDir('plain'), '');
    const cases: Array<[string, string]> = [
      [inDir('folder.jsonl'), 'is a folder'],
      [inDir('plain', 'below', 'sft.jsonl'), 'a part of its path is a file, not a folder'],
      // An unmounted share's link: refused at once, not at the first row, after its calls.
      [inDir('dangling', 'below', 'sft.jsonl'), 'a link in its path points to something missing (an unmounted drive or share?)'],
    ];
    await symlink(inDir('nowhere'), inDir('dangling'));
    for (const [path, reason] of cases) {
      await assert.rejects(openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair }, field: 'output.sft' }), (error: Error) => {
        assert.equal(error.message, `${path} (output.sft): ${reason}`);
        return true;
      });
    }
  });

  it('says a row it cannot write in words too', async () => {
    const path = inDir('later.jsonl');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair }, field: 'output.trace' });
    // Made a folder after the open: the first row's create fails.
    await mkdir(path);
    await assert.rejects(out.append(['{"n":1}']), (error: Error) => error.message === `${path} (output.trace): is a folder`);
    await out.close();
  });

  it('appends to a file that is there, opened at once: another writer\'s rows in between stay whole', async () => {
    const path = inDir('shared.jsonl');
    await writeFile(path, '{"n":0}\n');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair } });
    await writeFile(path, '{"other":1}\n', { flag: 'a' });
    await out.append(['{"n":1}']);
    await out.close();
    assert.equal(await readFile(path, 'utf8'), '{"n":0}\n{"other":1}\n{"n":1}\n');
  });

  it('keeps concurrent batches whole and contiguous', async () => {
    const path = inDir('concurrent.jsonl');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair } });
    const big = 'y'.repeat(20_000);
    await Promise.all(
      Array.from({ length: 60 }, (_, batch) => out.append(Array.from({ length: 3 }, (_, i) => JSON.stringify({ batch, i, big })))),
    );
    await out.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 180);
    const rows = lines.map((line) => JSON.parse(line) as { batch: number; i: number; big: string });
    for (let k = 0; k < rows.length; k += 3) {
      assert.deepEqual(rows.slice(k, k + 3).map((r) => [r.batch, r.i]), [0, 1, 2].map((i) => [rows[k]!.batch, i]));
    }
    assert.equal(new Set(rows.map((r) => r.batch)).size, 60);
  });

  it('truncates a crash-cut last line, reports it, and appends cleanly after', async () => {
    const path = inDir('cut.jsonl');
    await writeFile(path, '{"promptId":"a"}\n{"promptId":"b","tree":{"no');
    const reports: RepairReport[] = [];
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: (r) => reports.push(r) } });
    await out.append(['{"promptId":"c"}']);
    await out.close();
    assert.deepEqual(reports, [{ path, droppedBytes: 27, dropped: '{"promptId":"b","tree":{"no' }]);
    assert.equal(await readFile(path, 'utf8'), '{"promptId":"a"}\n{"promptId":"c"}\n');
  });

  it('keeps a whole last row that only lacks its newline (saved by an editor), and appends after it', async () => {
    const path = inDir('edited.jsonl');
    await writeFile(path, '{"promptId":"a"}\n{"promptId":"b", "note": "edited"}');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair } });
    await out.append(['{"promptId":"c"}']);
    await out.close();
    assert.equal(await readFile(path, 'utf8'), '{"promptId":"a"}\n{"promptId":"b", "note": "edited"}\n{"promptId":"c"}\n');
  });

  it('keeps a one-row file an editor saved with a byte-order mark and no final newline', async () => {
    // fast-check's counterexample: the mark made the row fail to parse, so the repair deleted it.
    const path = inDir('bom.jsonl');
    await writeFile(path, '\uFEFF{}');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair } });
    await out.append(['{"n":2}']);
    await out.close();
    assert.equal(await readFile(path, 'utf8'), '\uFEFF{}\n{"n":2}\n');
  });

  it('finds the last newline far back (tail longer than one scan chunk) and empties a file with none', async () => {
    const far = inDir('far.jsonl');
    await writeFile(far, `{"ok":1}\n${'z'.repeat(200_000)}`);
    const reports: RepairReport[] = [];
    await (await openJsonlAppender(far, { repair: { lock: held(), onRepair: (r) => reports.push(r) } })).close();
    assert.equal(await readFile(far, 'utf8'), '{"ok":1}\n');
    assert.equal(reports[0]!.droppedBytes, 200_000);
    assert.equal(reports[0]!.dropped, 'z'.repeat(200));

    const none = inDir('none.jsonl');
    await writeFile(none, '{"half":');
    await (await openJsonlAppender(none, { repair: { lock: held(), onRepair: (r) => reports.push(r) } })).close();
    assert.equal(await readFile(none, 'utf8'), '');
    assert.equal(reports[1]!.droppedBytes, 8);
  });

  it("never truncates without the lock: another process's large rows, mid-write when an append opens, stay whole", async () => {
    // `toa run` in a terminal appends big trace rows, one O_APPEND write each; meanwhile hand
    // curation opens an appender per decision. A tail mend at that open would see the row being
    // written as a crash-cut tail and truncate it once its write ended: the row gone for good.
    const path = inDir('shared-big.jsonl');
    const rows = 16;
    const writer = `const fs = require('node:fs');
      const fd = fs.openSync(process.argv[1], fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT);
      for (let i = 0; i < ${rows}; i++) {
        const line = Buffer.from(JSON.stringify({ run: i, text: 'x'.repeat(1_000_000) }) + '\\n');
        for (let w = 0; w < line.length; ) w += fs.writeSync(fd, line, w, line.length - w);
      }`;
    const child = spawn(process.execPath, ['-e', writer, path], { stdio: 'inherit' });
    const exited = once(child, 'exit');
    let running = true;
    void exited.then(() => (running = false));
    let decisions = 0;
    // At least a few decisions, however fast the child ends on an idle machine.
    while (running || decisions < 3) {
      const out = await openJsonlAppender(path, {});
      await out.append([JSON.stringify({ hand: decisions++ })]);
      await out.close();
    }
    assert.deepEqual(await exited, [0, null]);
    const lines = (await readFile(path, 'utf8')).split('\n');
    assert.equal(lines.pop(), '');
    const parsed = lines.map((line) => JSON.parse(line) as { run?: number; hand?: number });
    assert.deepEqual(parsed.flatMap((row) => row.run ?? []), Array.from({ length: rows }, (_, i) => i), "every one of the run's rows, whole");
    assert.deepEqual(parsed.flatMap((row) => row.hand ?? []), Array.from({ length: decisions }, (_, i) => i), 'every decision');
  });

  it('takes back a row a failed write left in part, so the next row never follows half a row; stops appending when it cannot', async () => {
    const path = inDir('part.jsonl');
    await writeFile(path, '{"n":0}\n');
    const fault = { write: false, truncate: false };
    // A handle whose write writes half its bytes, then fails as a full disk does; and whose truncate can fail too.
    const openFile = async (file: string, flags: number | string): Promise<FileHandle> => {
      const handle = await open(file, flags);
      return new Proxy(handle, {
        get(target, key) {
          if (key === 'write' && fault.write) {
            return async (data: Buffer, offset: number, length: number) => {
              fault.write = false;
              await target.write(data, offset, Math.floor(length / 2));
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            };
          }
          if (key === 'truncate' && fault.truncate) return async () => Promise.reject(new Error('EIO: i/o error, ftruncate'));
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    };
    const out = await openJsonlAppender(path, { openFile, field: 'output.sft' });
    fault.write = true;
    const takenBack = await out.append([JSON.stringify({ n: 1, text: 'x'.repeat(1000) })]).catch((error: unknown) => error);
    assert.equal((takenBack as Error).message, `${path} (output.sft): no space left on the disk`);
    assert.equal(leftPartOfRow(takenBack), false, 'nothing left to refuse rows for');
    await out.append(['{"n":2}']);
    assert.equal(await readFile(path, 'utf8'), '{"n":0}\n{"n":2}\n', 'the half row is gone; the next row is whole');

    Object.assign(fault, { write: true, truncate: true });
    const refused = `${path} (output.sft): cannot write: a row was written in part and could not be taken back (EIO: i/o error, ftruncate): no more rows are appended to it until a run mends its end`;
    const left = await out.append(['{"n":3}']).catch((error: unknown) => error);
    assert.equal((left as Error).message, refused);
    assert.equal(leftPartOfRow(left), true, "what tells a writer that opens an appender per batch (the extension's) to refuse its next rows");
    await assert.rejects(out.append(['{"n":4}']), { message: refused });
    await out.close();
    assert.equal(await readFile(path, 'utf8'), '{"n":0}\n{"n":2}\n{"n"', 'the half row (4 of its 9 bytes), and nothing after it');
  });

  it('refuses a row with a line break and appends after close', async () => {
    const path = inDir('strict.jsonl');
    const out = await openJsonlAppender(path, { repair: { lock: held(), onRepair: noRepair } });
    await assert.rejects(async () => out.append(['{"a":\n1}']), /must be one line/);
    await out.close();
    await assert.rejects(out.append(['{}']), /closed/);
    assert.equal(existsSync(path), false, 'nothing was written');
  });
});

describe('readDonePrompts', () => {
  const inDir = tempDir('toa-done-');

  const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
  const trace = (promptId: string, content: string, configHash = 'h1'): string => JSON.stringify({ promptId, messages: user(content), configHash, tree: {} });

  it('is empty for a missing trace file', async () => {
    assert.equal((await readDonePrompts(inDir('missing.jsonl'))).size, 0);
    // Also after a cancel: with no trace, that nothing is done is known, not cut short.
    assert.equal((await readDonePrompts(inDir('missing.jsonl'), { signal: AbortSignal.abort() })).size, 0);
  });

  it("says a trace it cannot read in words, with its config field, not in Node's", async () => {
    const path = inDir('a-folder.jsonl');
    await mkdir(path, { recursive: true });
    await assert.rejects(readDonePrompts(path), (error: Error) => error.message === `${path} (output.trace): is a folder`);
  });

  it('holds prompts by id and conversation, counts config hashes, and reports lines that are not trace rows', async () => {
    const path = inDir('traces.jsonl');
    await writeFile(path, [trace('a', 'alpha'), '', trace('b', 'beta', 'h2'), 'not json', '{"id":"c"}', '{"promptId":"x"}', trace('line-7', 'gamma'), '{"promptId":"d"'].join('\n'));
    const skipped: Array<[number, string]> = [];
    const done = await readDonePrompts(path, { onSkip: (line, reason) => skipped.push([line, reason]) });
    assert.equal(done.size, 3);
    assert.deepEqual(skipped.map(([line]) => line), [4, 5, 6, 8]);
    assert.deepEqual([...done.configHashes], [['h1', 2], ['h2', 1]]);
    assert.equal(done.has({ id: 'a', messages: user('alpha') }), true);
    assert.equal(done.has({ id: 'a', messages: user('alpha, edited') }), false, 'an edited prompt is searched again');
    assert.equal(done.has({ id: 'z', messages: user('alpha') }), false, 'an explicit id is matched by id and text');
  });

  it('names the first five lines that are not trace rows and sums up the rest in one line', async () => {
    const path = inDir('not-a-trace.jsonl');
    await writeFile(path, [trace('a', 'alpha'), ...Array.from({ length: 1239 }, (_, i) => `row ${i}`)].join('\n'));
    const notes: string[] = [];
    const skips = resumeSkipNotes(path, 'setting toaStudio.output.trace', (note) => notes.push(note));
    assert.equal((await readDonePrompts(path, { onSkip: skips.skip })).size, 1);
    skips.end();
    const named = [2, 3, 4, 5, 6].map((line) => `note: ${path}:${line} (setting toaStudio.output.trace) ignored for resume: not a trace row (no promptId and messages)`);
    assert.deepEqual(notes, [...named, `note: … and 1,234 more lines that are not trace rows in ${path} (setting toaStudio.output.trace), ignored for resume`]);
  });

  it('sums up a single line past the first five in the singular, and adds nothing when there are only five', () => {
    const notes: string[] = [];
    const skips = resumeSkipNotes('t.jsonl', 'output.trace', (note) => notes.push(note));
    for (const line of [1, 2, 3, 4, 5]) skips.skip(line, 'why');
    skips.end();
    assert.equal(notes.length, 5);
    skips.skip(9, 'why');
    skips.end();
    assert.equal(notes.at(-1), 'note: … and 1 more line that is not a trace row in t.jsonl (output.trace), ignored for resume');
  });

  it('counts the rows whose search in the trace another configuration made', async () => {
    const path = inDir('configs.jsonl');
    await writeFile(path, [trace('a', 'alpha', 'sim'), trace('b', 'beta', 'sim'), trace('b', 'beta', 'mine'), trace('line-3', 'gamma', 'sim')].join('\n'));
    const done = await readDonePrompts(path);
    // b's latest search is this config's; a prompt the trace lacks or has edited is searched, not skipped.
    const rows = [{ id: 'a', messages: user('alpha') }, { id: 'b', messages: user('beta') }, { id: 'line-9', messages: user('gamma') }, { id: 'c', messages: user('new') }, { id: 'a', messages: user('alpha, edited') }];
    assert.equal(done.searchedUnderOther(rows, 'mine'), 2);
    assert.equal(done.searchedUnderOther(rows, 'sim'), 1);
  });

  it('counts a prompt searched under another configuration only as often as resume skips it', async () => {
    const path = inDir('configs-twice.jsonl');
    await writeFile(path, trace('line-1', 'gamma', 'sim'));
    const done = await readDonePrompts(path);
    // Two identical prompts without ids, one trace row: the first is skipped, the second searched.
    const rows = [{ id: 'line-1', messages: user('gamma') }, { id: 'line-2', messages: user('gamma') }];
    assert.equal(done.searchedUnderOther(rows, 'mine'), 1);
    assert.deepEqual(rows.map((row) => done.claim(row)), [true, false], 'what resume then skips');
  });

  it('skips a row whose messages are not objects, rather than failing the resume', async () => {
    // fast-check's counterexample: hashing the conversation of [null] threw a TypeError.
    const path = inDir('null-message.jsonl');
    await writeFile(path, `{"promptId":"","messages":[null]}\n${trace('a', 'alpha')}\n`);
    const skipped: number[] = [];
    const done = await readDonePrompts(path, { onSkip: (line) => skipped.push(line) });
    assert.deepEqual([done.size, skipped], [1, [1]]);
  });

  it('takes a row\'s conversation key from its head when the writer put it there', async () => {
    const path = inDir('keyed.jsonl');
    // The key says "epsilon": it is what counts, not a hash of the messages that follow.
    await writeFile(path, JSON.stringify({ promptId: 'e', conversation: conversationId(user('epsilon')), messages: user('ignored'), tree: {} }) + '\n');
    const done = await readDonePrompts(path);
    assert.equal(done.has({ id: 'e', messages: user('epsilon') }), true);
    assert.equal(done.has({ id: 'e', messages: user('ignored') }), false);
  });

  it('matches rows without an id of their own (line-<n>) by their text, wherever the line moved', async () => {
    const done = new DonePrompts();
    done.add('line-1', user('first'));
    done.add('line-2', user('second'));
    // A line was inserted at the top: the old prompts moved down, a new one took line 1.
    assert.equal(done.has({ id: 'line-1', messages: user('new') }), false);
    assert.equal(done.has({ id: 'line-2', messages: user('first') }), true);
    assert.equal(done.has({ id: 'line-3', messages: user('second') }), true);
    assert.notEqual(conversationKey(user('a')), conversationKey([{ role: 'system', content: 'a' }]), 'roles count');
    assert.notEqual(conversationKey(user('a')), conversationKey([{ role: 'user', content: 'a', name: 'ada' }]), 'who speaks counts');
    // Trace rows written before messages kept names carry these: a conversation without names keeps its key.
    assert.equal(conversationId(user('a')), 'ae02378fe5c6c');
  });

  it('resume claims one trace row per appearance of a prompt without an id', () => {
    const done = new DonePrompts();
    done.add('line-1', user('twice'));
    done.add('a', user('with id'));
    // The input holds "twice" on lines 1 and 41; the run was cut after searching line 1 only.
    assert.deepEqual([1, 41].map((n) => done.claim({ id: `line-${n}`, messages: user('twice') })), [true, false]);
    assert.equal(done.has({ id: 'line-41', messages: user('twice') }), true, 'has() asks, claims nothing');
    // Rows with ids are matched by id and text, however often they are asked about, and their
    // trace rows are not an id-less row's with the same text.
    assert.deepEqual([done.claim({ id: 'a', messages: user('with id') }), done.claim({ id: 'a', messages: user('with id') })], [true, true]);
    assert.equal(done.claim({ id: 'line-7', messages: user('with id') }), false);
    // Two trace rows (searched twice): both appearances are done.
    const again = new DonePrompts();
    again.add('line-1', user('twice'));
    again.add('line-41', user('twice'));
    assert.deepEqual([1, 41, 60].map((n) => again.claim({ id: `line-${n}`, messages: user('twice') })), [true, true, false]);
  });

  it('a cancel ends the read of a trace that is still coming in, rather than waiting for its end', { skip: process.platform === 'win32' && 'needs mkfifo' }, async () => {
    // A slow reader: a named pipe the test feeds one row every 10 ms for at most 3 s.
    const path = inDir('slow.jsonl');
    execFileSync('mkfifo', [path]);
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    const reading = readDonePrompts(path, { signal: controller.signal });
    let settled = false;
    void reading.catch(() => undefined).finally(() => (settled = true));
    const pipe = await open(path, 'w');
    const feeding = (async () => {
      try {
        for (let i = 0; i < 300 && !settled; i++) {
          await pipe.write(`${trace(`p${i}`, `prompt ${i}`)}\n`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        // The end of the input: a read the reader still has in flight returns, so it can close.
        await pipe.close();
      }
    })();
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await assert.rejects(reading, (error) => error === reason, 'rejects with the cancel itself, not an error naming the file');
    const took = Date.now() - started;
    await feeding.catch(() => undefined); // EPIPE: the reader has gone
    assert.ok(took < 1_000, `ended ${took} ms after the read began (the pipe was fed for 3 s)`);
  });
});
