import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { persistableSnapshot, restoredSnapshot } from '../../../src/extension/panel/panel-channel';
import { idleStatus, lastRunOf } from '../../../src/extension/status-text';
import { countPrompts } from '../../../src/shared/prompt-counts';
import { preferenceProblems, sftProblems } from '../../helpers/fine-tuning-formats';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, clearOutputs, closeAllEditors, extensionLog, fixturePrompts, inWorkspace, openWithSelection, readJsonl, resetSettings, setSettings, sleep, waitFor, within, workspaceUri, writeConfig, type ChatMessage, type RunResultLike } from '../helpers/workspace';

interface SftRow {
  messages: ChatMessage[];
}
interface PreferenceRow {
  prompt: ChatMessage[];
}
interface TraceRow {
  promptId: string;
  messages: ChatMessage[];
  best: { text: string; reward: number } | null;
  tree: { nodes: unknown[] };
}

const BUDGET = 8;

/**
 * SFT rows in OpenAI's chat format (the conformance checker of test/helpers): the prompt
 * conversation, then one assistant answer.
 */
async function checkSft(file: string, expected: Array<{ id: string; messages: ChatMessage[] }>): Promise<void> {
  assert.deepEqual(sftProblems(await readFile(file, 'utf8')), [], 'the fine-tuning format');
  const rows = await readJsonl<SftRow>(file);
  assert.equal(rows.length, expected.length, `${expected.length} SFT rows`);
  const prompts = rows.map((row) => JSON.stringify(row.messages.slice(0, -1).map(({ role, content }) => ({ role, content }))));
  assert.deepEqual(prompts.sort(), expected.map((e) => JSON.stringify(e.messages)).sort(), 'each SFT row starts with one selected prompt');
}

function checkTraces(rows: TraceRow[], ids: string[]): void {
  assert.equal(rows.length, ids.length, `${ids.length} trace rows`);
  assert.deepEqual(rows.map((r) => r.promptId).sort(), [...ids].sort());
  for (const row of rows) {
    assert.ok(row.tree && Array.isArray(row.tree.nodes) && row.tree.nodes.length > 1, `trace ${row.promptId} has its tree`);
    assert.ok(row.best && typeof row.best.text === 'string', `trace ${row.promptId} names the best answer`);
  }
}

/** Pairs in TRL's conversational format (the conformance checker of test/helpers), for selected prompts. */
async function checkPreferences(file: string, expected: Array<{ messages: ChatMessage[] }>): Promise<void> {
  assert.deepEqual(preferenceProblems(await readFile(file, 'utf8')), [], 'the preference format');
  const rows = await readJsonl<PreferenceRow>(file);
  assert.ok(rows.length >= 1 && rows.length <= expected.length, `1..${expected.length} preference rows, got ${rows.length}`);
  const prompts = new Set(expected.map((e) => JSON.stringify(e.messages)));
  for (const row of rows) assert.ok(prompts.has(JSON.stringify(row.prompt)), 'the pair is for a selected prompt');
}

/** Counts the documents opened for `uri` from now on (a file read from disk opens none). */
function documentsOpened(uri: vscode.Uri): { count(): number; dispose(): void } {
  let opened = 0;
  const listener = vscode.workspace.onDidOpenTextDocument((document) => {
    if (document.uri.toString() === uri.toString()) opened++;
  });
  return { count: () => opened, dispose: () => listener.dispose() };
}

/** Drops the unsaved edits of the file's editor (closing it would ask to save them), and closes the editors. */
async function revertAndClose(uri: vscode.Uri): Promise<void> {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  if (editor?.document.isDirty) {
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await closeAllEditors();
}

/**
 * A math file of two prompts whose references no simulated answer ends with, and the config's
 * reward set to the math check: every answer scores 0, the flat reward a run warns of.
 */
async function flatRewardSetup(name: string, ids: [string, string]): Promise<vscode.Uri> {
  const file = vscode.Uri.file(inWorkspace(name));
  const rows = [{ id: ids[0], prompt: 'What is 2 + 2?', reference: '31415926535' }, { id: ids[1], prompt: 'What is 3 + 3?', reference: '27182818284' }];
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
  const configFile = inWorkspace('toa.config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
  await writeFile(configFile, JSON.stringify({ ...config, reward: { type: 'reference', check: 'math' } }, null, 2));
  return file;
}

suite('synthesize against simulated endpoints', () => {
  const sim = simSuite({
    sim: { seed: 3 },
    config: { search: { budget: BUDGET } },
    // Accept every best answer, so the run writes SFT rows and preference pairs by itself.
    settings: { autoAcceptAbove: -1_000_000 },
    resetAfter: ['useSimulator'],
    clearOutputs: 'each',
  });

  test('a JSONL selection (lines 2-4) writes SFT, preference and trace rows', async () => {
    const all = await fixturePrompts();
    const selected = all.slice(1, 4);
    await openWithSelection('prompts.jsonl', 2, 4);
    const before = await sim.counters();
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result, 'the command resolves with the run summary');
    assert.equal(result.cancelled, false);
    assert.equal(result.totals.prompts, 3);
    assert.equal(result.totals.done, 3);
    assert.equal(result.totals.failed, 0);
    assert.equal(result.totals.plays, 3 * BUDGET);
    assert.deepEqual(result.outputs, {
      sft: inWorkspace('data', 'sft.jsonl'),
      preference: inWorkspace('data', 'preference.jsonl'),
      trace: inWorkspace('data', 'traces.jsonl'),
    });

    await checkSft(result.outputs.sft, selected);
    checkTraces(await readJsonl<TraceRow>(result.outputs.trace), selected.map((p) => p.id));
    await checkPreferences(result.outputs.preference, selected);
    // The panel says what auto-accept wrote for each prompt: the SFT row and the pair.
    const { api } = await activateExtension();
    for (const p of selected) {
      assert.equal(api.snapshot().prompts.find((e) => e.id === p.id)?.reason, 'auto-accepted: SFT row -> data/sft.jsonl, preference pair -> data/preference.jsonl');
    }

    // The requests went to the endpoints of toa.config.json: one chat and one reward call a play.
    const after = await sim.counters();
    assert.equal(after.chatRequests - before.chatRequests, 3 * BUDGET, 'chat calls');
    assert.equal(after.rewardRequests - before.rewardRequests, 3 * BUDGET, 'reward calls');
    assert.equal(after.inFlight, 0);
  });

  test('a selection run again is searched again, but auto-accept adds no second SFT row for it', async () => {
    await openWithSelection('prompts.jsonl', 2, 2);
    const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.deepEqual([first?.totals.done, again?.totals.done], [1, 1]);
    assert.equal((await readJsonl(first!.outputs.trace)).length, 2, 'two searches in the trace');
    assert.equal((await readJsonl(first!.outputs.sft)).length, 1, 'one SFT row for the prompt');
  });

  test('the snapshot API shows the finished run', async () => {
    const { api } = await activateExtension();
    await openWithSelection('prompts.jsonl', 1, 1);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result);
    const snapshot = api.snapshot();
    assert.equal(snapshot.running, false);
    assert.equal(snapshot.runId, result.runId);
    assert.equal(snapshot.budget, BUDGET);
    const entry = snapshot.prompts.find((p) => p.id === 'haiku');
    assert.ok(entry, `prompt haiku in the snapshot: ${JSON.stringify(snapshot.prompts.map((p) => p.id))}`);
    assert.ok(['done', 'accepted'].includes(entry.status), `status ${entry.status}`);
    assert.equal(entry.plays, BUDGET);
    assert.ok(snapshot.trees.haiku, 'the tree of the prompt is in the snapshot');
    assert.deepEqual(snapshot.warnings, [], "the sim's rewards suit the default tau");
    assert.equal(snapshot.endpoints, 'workspace', "the configuration's endpoints answered (the panel shows no simulator tag)");
  });

  test('a tau that saturates the values is reported with the run, and the run still completes', async () => {
    const { api } = await activateExtension();
    await writeConfig(sim.url, { search: { budget: BUDGET, tau: 0.001 } });
    try {
      await openWithSelection('prompts.jsonl', 2, 4);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.equal(result?.totals.done, 3);
      const warnings = api.snapshot().warnings ?? [];
      assert.deepEqual(warnings.map((w) => w.code), ['tau-scale']);
      assert.match(warnings[0]!.message, /^search\.tau 0\.001 is small for this reward model's scores .* Set search\.tau to about 0\.0\d\.$/);

      // The warning's "Set tau to ..." action: the config file gets the suggested tau, the rest of it stays.
      const warning = warnings[0]!;
      assert.ok(warning.code === 'tau-scale');
      const suggested = warning.suggestedTau;
      const file = inWorkspace('toa.config.json');
      const before = JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>>;
      assert.equal(await vscode.commands.executeCommand('toaStudio.setSearchTau', suggested, vscode.Uri.file(file)), suggested);
      const after = JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>>;
      assert.deepEqual(after, { ...before, search: { ...before.search, tau: suggested } });
      await clearOutputs(); // else the next run resumes: every prompt is done already
      const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.equal(again?.totals.done, 3);
      assert.deepEqual(api.snapshot().warnings, [], 'the suggested tau passes the check');
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test("a run's start logs that the agents' maxConcurrency keeps run.concurrency out of reach", async () => {
    await writeConfig(sim.url, { search: { budget: BUDGET }, run: { concurrency: 32 } });
    try {
      await openWithSelection('prompts.jsonl', 2, 2);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.equal(result?.totals.done, 1);
      const note = /note: run\.concurrency 32 is more than the agents allow at once \(3 agents x maxConcurrency 8 = 24\): at most 24 model calls are in flight; raise agents\[i\]\.maxConcurrency to use it/;
      await waitFor('the note in the TOA Studio log', async () => note.test(await extensionLog()));
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test('a run after a crash first restores the SFT rows the crashed run had not written after their trace rows', async () => {
    await openWithSelection('prompts.jsonl', 2, 3);
    const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(first?.totals.done, 2);
    const written = (await readFile(first.outputs.sft, 'utf8')).split('\n').filter(Boolean);
    assert.equal(written.length, 2);
    // The crash: the last SFT row never reached the disk, its trace row did, and the run's lock
    // stayed behind with a pid that is gone.
    await writeFile(first.outputs.sft, `${written[0]}\n`);
    const dead = spawn(process.execPath, ['-e', '0']);
    await once(dead, 'exit');
    await writeFile(`${first.outputs.trace}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), started: 'earlier', runId: first.runId }));
    await openWithSelection('prompts.jsonl', 4, 4);
    const second = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(second?.totals.done, 1);
    const now = (await readFile(first.outputs.sft, 'utf8')).split('\n').filter(Boolean);
    assert.equal(now.length, 3, 'the restored row and the new one');
    assert.deepEqual(now.slice(0, 2), written, 'restored byte for byte, before the new run\'s rows');
    assert.equal(existsSync(`${first.outputs.trace}.lock`), false, 'the lock is released when the run ends');
  });

  test('a restore of a crashed run\'s rows that fails (a full disk) keeps the lock and says so; the next run restores them', async function () {
    if (!existsSync('/dev/full')) this.skip();
    await openWithSelection('prompts.jsonl', 2, 3);
    const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(first?.totals.done, 2);
    const { sft, trace } = first.outputs;
    const written = (await readFile(sft, 'utf8')).split('\n').filter(Boolean);
    // The crash, as above; then the disk is full (writes to /dev/full fail with ENOSPC).
    const dead = spawn(process.execPath, ['-e', '0']);
    await once(dead, 'exit');
    await writeFile(`${trace}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), started: 'earlier', runId: first.runId }));
    await rm(sft);
    await symlink('/dev/full', sft);
    await openWithSelection('prompts.jsonl', 4, 4);
    assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped');
    assert.equal(existsSync(`${trace}.lock`), true, 'the lock still names the crashed run');
    assert.equal(JSON.parse(await readFile(`${trace}.lock`, 'utf8')).handedOn, true, 'held by no run: another window takes it over too');
    await waitFor('the error in the log', async () => /could not restore the SFT rows and preference pairs that an interrupted run \(.*\) had not written after their trace rows: .*\(output\.(sft|preference)\): no space left on the disk.*traces\.jsonl\.lock is kept, so the next run on these outputs restores them/.test(await extensionLog()));
    // Space again: the next run in this window restores the row.
    await rm(sft);
    await writeFile(sft, `${written[0]}\n`);
    const next = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(next?.totals.done, 1);
    const now = (await readFile(sft, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(now.slice(0, 2), written, 'restored byte for byte, before the new run\'s rows');
    assert.equal(existsSync(`${trace}.lock`), false);
  });

  test('an output that fails mid-run (a full disk) keeps the lock and says so; the next run writes the rows its trace rows name', async function () {
    if (!existsSync('/dev/full')) this.skip();
    await openWithSelection('prompts.jsonl', 2, 2);
    const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(first?.totals.done, 1);
    const { preference, trace } = first.outputs;
    const written = await readFile(preference, 'utf8');
    assert.ok(written, 'the first run wrote a pair');
    // The disk is full for the pairs (the SFT file is read as a run starts, and /dev/full reads
    // as an endless line): a prompt's trace and SFT rows are written, its pair is not.
    await rm(preference);
    await symlink('/dev/full', preference);
    await openWithSelection('prompts.jsonl', 3, 4);
    assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped');
    assert.equal(JSON.parse(await readFile(`${trace}.lock`, 'utf8')).handedOn, true, 'the lock is kept for the next run, in any window');
    await waitFor('the error in the log', async () => /could not save the outputs: .*\(output\.(sft|preference)\): no space left on the disk.*traces\.jsonl\.lock is kept, so the next run on these outputs writes the SFT rows and preference pairs this run could not/.test(await extensionLog()));
    // Space again: the next run writes the pairs the trace names.
    await rm(preference);
    await writeFile(preference, written);
    const next = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(next && next.totals.failed === 0);
    const traces = (await readFile(trace, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { derived: { preference: unknown } });
    const pairs = (await readFile(preference, 'utf8')).split('\n').filter(Boolean);
    // A selection is searched again (no resume): the failed run's trace rows stay, with the pairs they name written now.
    assert.ok(traces.length > 3, String(traces.length));
    assert.equal(pairs.length, traces.filter((t) => t.derived.preference !== null).length, 'every trace row that names a pair has it');
    assert.equal(existsSync(`${trace}.lock`), false);
  });

  test('an endpoint that cannot be reached stops the run naming its config field and URL, and the run leaves no empty output files', async () => {
    // A port nothing listens on (not the placeholders' 9, which fetch refuses to try at all).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await writeConfig(`http://127.0.0.1:${port}`, { search: { budget: BUDGET } });
    try {
      await openWithSelection('prompts.jsonl', 2, 2);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped');
      const said = new RegExp(String.raw`agent "\w+" cannot be reached at http://127\.0\.0\.1:${port}/v1 \(agents\[\d\]\.baseURL\) and has not answered once in this run \(.*ECONNREFUSED.*\)\. Check agents\[\d\]\.baseURL, and that the server is running\.`);
      await waitFor('the error in the log', async () => said.test(await extensionLog()));
      for (const name of ['sft.jsonl', 'preference.jsonl', 'traces.jsonl', 'traces.jsonl.lock']) assert.equal(existsSync(inWorkspace('data', name)), false, name);
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test('Check Endpoints calls every agent and the reward once, and says which answered, with what to check', async () => {
    interface Check {
      endpoint: string;
      ok: boolean;
      said: string;
    }
    const before = await sim.counters();
    const checks = await vscode.commands.executeCommand<Check[] | undefined>('toaStudio.checkEndpoints');
    assert.ok(checks, 'the command resolves with the checks');
    assert.ok(checks.length >= 2 && checks.every((c) => c.ok), JSON.stringify(checks));
    const after = await sim.counters();
    assert.equal(after.chatRequests - before.chatRequests, checks.length - 1, 'one call per agent');
    assert.equal(after.rewardRequests - before.rewardRequests, 1, 'one reward call');
    await waitFor('the checks in the log', async () => /ok {6}the reward endpoint \(vllm\)/.test(await extensionLog()));
    // An agent on a port nothing listens on: said, with what to check; the reward still answers.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const config = { agents: [{ name: 'gone', baseURL: `http://127.0.0.1:${port}/v1`, model: 'm', maxRetries: 0 }], reward: { type: 'vllm', baseURL: sim.url, model: 'sim-reward' } };
    await writeFile(inWorkspace('toa.config.json'), JSON.stringify(config));
    try {
      const failed = await vscode.commands.executeCommand<Check[] | undefined>('toaStudio.checkEndpoints');
      assert.deepEqual(failed?.map((c) => c.ok), [false, true]);
      assert.equal(failed[0]!.endpoint, `agent "gone" (agents[0].baseURL, http://127.0.0.1:${port}/v1)`);
      assert.match(failed[0]!.said, new RegExp(String.raw`^gave up after 1 attempt: connection failed: connect ECONNREFUSED 127\.0\.0\.1:${port}\. Check agents\[0\]\.baseURL, and that the server is running\.$`));
      await waitFor('the failure in the log', async () => (await extensionLog()).includes(`FAILED  agent "gone" (agents[0].baseURL, http://127.0.0.1:${port}/v1)`));
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test('a trace row a crash cut inside a multi-byte character is removed before Synthesize File resumes', async () => {
    const file = vscode.Uri.file(inWorkspace('cafe.jsonl'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(['Café one', 'Café two'].map((prompt, i) => JSON.stringify({ id: `cafe${i}`, prompt })).join('\n') + '\n'));
    try {
      const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(first?.totals.done, 2);
      const rows = (await readFile(first.outputs.trace, 'utf8')).split('\n').filter(Boolean);
      // The crash: the second trace row cut after the first byte of an "é".
      const second = Buffer.from(rows[1]!);
      await writeFile(first.outputs.trace, Buffer.concat([Buffer.from(`${rows[0]}\n`), second.subarray(0, second.indexOf(Buffer.from('é')) + 1)]));
      const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.deepEqual([again?.totals.done, again?.totals.skipped], [1, 1], 'the cut prompt is searched again, the whole one skipped');
      const now = (await readFile(first.outputs.trace, 'utf8')).split('\n').filter(Boolean);
      assert.equal(now.length, 2);
      assert.ok(now.every((line) => JSON.parse(line)), 'whole rows only');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  test('a bad trace row met while Synthesize File resumes names the file, its line and the field or setting that named the trace, and past five sums up the rest', async () => {
    const file = vscode.Uri.file(inWorkspace('resume-bad.jsonl'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(['Name a river', 'Name a hill'].map((prompt, i) => JSON.stringify({ id: `bad${i}`, prompt })).join('\n') + '\n'));
    try {
      const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(first?.totals.done, 2);
      const rows = (await readFile(first.outputs.trace, 'utf8')).split('\n').filter(Boolean);
      // A row broken in the middle of the file (an edit by hand): not a trace row, so noted, and its prompt searched again.
      // Then seven more lines that are not trace rows: past the first five, they are summed up in one line.
      await writeFile(first.outputs.trace, `${rows[0]!.slice(0, 40)}\n${'not a trace row\n'.repeat(7)}${rows[1]}\n`);
      const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.deepEqual([again?.totals.done, again?.totals.skipped], [1, 1]);
      const noted = `note: ${first.outputs.trace}:1 (output.trace) ignored for resume: not a trace row (no promptId and messages)`;
      const summed = `note: … and 3 more lines that are not trace rows in ${first.outputs.trace} (output.trace), ignored for resume`;
      await waitFor('the note and the summary in the log', async () => (await extensionLog()).includes(noted) && (await extensionLog()).includes(summed));
      assert.ok(!(await extensionLog()).includes(`${first.outputs.trace}:6 (output.trace) ignored for resume`), 'the sixth line is not named');

      // A trace a setting placed, with a line that is not UTF-8 text: the read fails naming the setting.
      await setSettings({ 'output.trace': 'elsewhere/traces.jsonl' });
      await mkdir(inWorkspace('elsewhere'), { recursive: true });
      await writeFile(inWorkspace('elsewhere', 'traces.jsonl'), Buffer.concat([Buffer.from(`${rows[1]}\n`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(`${rows[1]}\n`)]));
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', file), undefined, 'the run stopped');
      const said = `cannot synthesize: ${inWorkspace('elsewhere', 'traces.jsonl')} (setting toaStudio.output.trace): cannot read: line 2 is not valid UTF-8 text`;
      await waitFor('the read error in the log', async () => (await extensionLog()).includes(said));
    } finally {
      await resetSettings(['output.trace']);
      await rm(inWorkspace('elsewhere'), { recursive: true, force: true });
      await vscode.workspace.fs.delete(file);
    }
  });

  test('synthesizeFile with a uri runs every row of a file that is not open', async () => {
    await closeAllEditors();
    const all = await fixturePrompts();
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
    assert.ok(result, 'the command resolves with the run summary');
    assert.equal(result.cancelled, false);
    assert.equal(result.totals.prompts, all.length);
    assert.equal(result.totals.done, all.length);
    await checkSft(result.outputs.sft, all);
    checkTraces(await readJsonl<TraceRow>(result.outputs.trace), all.map((p) => p.id));
    await checkPreferences(result.outputs.preference, all);

    // Again, as after a cancel: the file resumes, as `toa run` does; nothing is searched twice.
    const sft = await readFile(result.outputs.sft, 'utf8');
    const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
    assert.deepEqual([again?.totals.done, again?.totals.skipped, again?.totals.plays], [0, all.length, 0]);
    assert.equal(await readFile(result.outputs.sft, 'utf8'), sft, 'no second SFT row');
  });

  test("Synthesize File from the explorer reads a saved file from disk, never as a document; with unsaved edits it runs the editor's text, under the same ids", async () => {
    const uri = workspaceUri('from-disk.jsonl');
    const rows = [{ id: 'disk-a', prompt: 'Name a planet.' }, { prompt: 'Name a river.' }, { id: 'disk-c', messages: [{ role: 'user', content: 'Name a mountain.' }] }];
    const text = `${rows.map((r) => JSON.stringify(r)).join('\n')}\n\n`;
    await writeFile(uri.fsPath, text);
    const opened = documentsOpened(uri);
    // The web workbench saves edits after a second by default: this edit must stay unsaved.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', uri);
      assert.equal(result?.source, 'from-disk.jsonl');
      assert.deepEqual([result.totals.done, result.totals.failed], [3, 0]);
      checkTraces(await readJsonl<TraceRow>(result.outputs.trace), ['disk-a', 'line-2', 'disk-c']);
      await checkSft(result.outputs.sft, [{ id: 'disk-a', messages: [{ role: 'user', content: 'Name a planet.' }] }, { id: 'line-2', messages: [{ role: 'user', content: 'Name a river.' }] }, { id: 'disk-c', messages: [{ role: 'user', content: 'Name a mountain.' }] }]);
      assert.equal(opened.count(), 0, 'no document was opened for the file');
      assert.equal(vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), false);

      // A row added in the editor and not saved: the run reads what the editor shows, and skips
      // the rows the run from disk searched, by the same ids (a row without an id is line-N).
      const editor = await vscode.window.showTextDocument(uri);
      assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(3, 0), JSON.stringify({ prompt: 'Name a lake.' }))));
      const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', uri);
      assert.deepEqual([again?.totals.done, again?.totals.skipped], [1, 3]);
      assert.equal((await readJsonl<TraceRow>(result.outputs.trace)).at(-1)?.promptId, 'line-4');
      assert.equal(await readFile(uri.fsPath, 'utf8'), text, 'the edit was not saved');
    } finally {
      opened.dispose();
      await revertAndClose(uri);
      await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
      await rm(uri.fsPath, { force: true });
    }
  });

  test('invalid JSON is marked in the Problems view from the column its message names, in a row and in toa.config.json', async () => {
    const uri = workspaceUri('bad-json.jsonl');
    const bad = '{"prompt": "What is 2+2?", "id": 7,}';
    await writeFile(uri.fsPath, `${JSON.stringify({ id: 'ok', prompt: 'Name a prime number.' })}\n${bad}\n`);
    const configFile = inWorkspace('toa.config.json');
    const config = await readFile(configFile, 'utf8');
    try {
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', uri), undefined, 'the run does not start');
      const row = await waitFor('the bad row in the Problems view', () => vscode.languages.getDiagnostics(uri)[0]);
      assert.match(row.message, / at column 36\)/);
      assert.deepEqual([row.range.start.line, row.range.start.character], [1, 35], 'from the column the message names, on line 2');
      // The config's "budget" line loses its comma: the parser stops at the next line's first field.
      const lines = config.split('\n');
      const at = lines.findIndex((l) => l.includes('"budget"'));
      await writeFile(configFile, lines.map((l, i) => (i === at ? l.replace(/,\s*$/, '') : l)).join('\n'));
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', uri), undefined, 'the run does not start');
      const onConfig = await waitFor('a diagnostic on the config file', () => vscode.languages.getDiagnostics(vscode.Uri.file(configFile))[0]);
      const column = Number(/at column (\d+)$/.exec(onConfig.message)?.[1]);
      assert.ok(column > 1, onConfig.message);
      assert.deepEqual([onConfig.range.start.line, onConfig.range.start.character], [at + 1, column - 1], onConfig.message);
    } finally {
      await writeFile(configFile, config);
      await rm(uri.fsPath, { force: true });
    }
  });

  test('a bad row of a saved file read from disk is reported in the Problems view on its line; fixed on disk, the next run clears it', async () => {
    const uri = workspaceUri('disk-bad.jsonl');
    const good = JSON.stringify({ id: 'ok', prompt: 'Name a prime number.' });
    const bad = { id: 'bad', messages: [{ role: 'robot', content: 'Name an even prime.' }] };
    await writeFile(uri.fsPath, `${good}\n\n${JSON.stringify(bad)}\n`);
    const opened = documentsOpened(uri);
    try {
      const before = await sim.counters();
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', uri), undefined, 'the run does not start');
      const problem = await waitFor('the bad row in the Problems view', () => vscode.languages.getDiagnostics(uri)[0]);
      assert.deepEqual([problem.range.start.line, vscode.languages.getDiagnostics(uri).length], [2, 1], 'one problem, on line 3');
      assert.match(problem.message, /^messages\[0\]\.role: /);
      await waitFor('the problem in the log, with file and line', async () => /cannot synthesize: disk-bad\.jsonl:3: messages\[0\]\.role: /.test(await extensionLog()));
      assert.equal((await sim.counters()).chatRequests, before.chatRequests, 'nothing sent');
      await writeFile(uri.fsPath, `${good}\n\n${JSON.stringify({ ...bad, messages: [{ role: 'user', content: 'Name an even prime.' }] })}\n`);
      const fixed = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', uri);
      assert.equal(fixed?.totals.done, 2);
      assert.deepEqual(vscode.languages.getDiagnostics(uri), [], 'the problem is gone');
      assert.equal(opened.count(), 0, 'no document was opened for the file');
    } finally {
      opened.dispose();
      await rm(uri.fsPath, { force: true });
    }
  });

  test('a saved file over 50 MB, which VS Code hands to no extension, runs from disk', async () => {
    const uri = workspaceUri('over-50mb.jsonl');
    // Two rows around 51 MB of spaces, a blank line to the reader: a big file that is quick to run.
    const rows = [{ id: 'big-a', prompt: 'Name a comet.' }, { id: 'big-b', prompt: 'Name a moon.' }];
    await writeFile(uri.fsPath, `${JSON.stringify(rows[0])}\n${' '.repeat(51 * 2 ** 20)}\n${JSON.stringify(rows[1])}\n`);
    const opened = documentsOpened(uri);
    try {
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', uri);
      assert.equal(result?.totals.done, 2);
      checkTraces(await readJsonl<TraceRow>(result.outputs.trace), ['big-a', 'big-b']);
      assert.equal(opened.count(), 0, 'no document was opened for the file');
    } finally {
      opened.dispose();
      await rm(uri.fsPath, { force: true });
    }
  });

  test('a UTF-16 file (as PowerShell writes them) is read as the editor decodes it, not refused as bad UTF-8', async () => {
    const uri = workspaceUri('utf16.jsonl');
    const rows = [{ id: 'u16-a', prompt: 'Nommez un fleuve: été.' }, { id: 'u16-b', prompt: 'Name a sea.' }];
    const text = `\ufeff${rows.map((r) => JSON.stringify(r)).join('\r\n')}\r\n`;
    await writeFile(uri.fsPath, Buffer.from(text, 'utf16le'));
    try {
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', uri);
      assert.deepEqual([result?.totals.done, result?.totals.failed], [2, 0]);
      await checkSft(result!.outputs.sft, rows.map((r) => ({ id: r.id, messages: [{ role: 'user' as const, content: r.prompt }] })));
    } finally {
      await closeAllEditors();
      await rm(uri.fsPath, { force: true });
    }
  });

  test('a text selection of whole lines, as a click and shift+click in the gutter make it, is named by those lines', async () => {
    const uri = workspaceUri('two-lines.txt');
    await writeFile(uri.fsPath, 'Summarise Hamlet in two sentences.\nKeep it short.\nAn unselected line.\n');
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      // The gutter selects whole lines: the selection ends at column 0 of the line after them.
      editor.selection = new vscode.Selection(0, 0, 2, 0);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.equal(result?.source, 'two-lines.txt lines 1-2');
      assert.equal(result.totals.done, 1, 'the selected text is one prompt');
    } finally {
      await closeAllEditors();
      await rm(uri.fsPath, { force: true });
    }
  });

  test('a text file with carriage returns alone as line ends runs one prompt per line, as the editor shows them', async () => {
    const uri = workspaceUri('mac-lines.txt');
    await writeFile(uri.fsPath, 'Name a bird.\rName a fish.\rName a tree.\r');
    try {
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', uri);
      assert.deepEqual([result?.totals.done, result?.totals.failed], [3, 0]);
      assert.deepEqual((await readJsonl<TraceRow>(result!.outputs.trace)).map((r) => r.promptId).sort(), ['line-1', 'line-2', 'line-3']);
    } finally {
      await closeAllEditors();
      await rm(uri.fsPath, { force: true });
    }
  });

  test('a run reads toa.config.json once: an edit saved while it reads its rows applies to the next run, not to half of this one', async () => {
    // The rows come from a file system the test holds, so the config can change while they are read.
    const content = new TextEncoder().encode(`${JSON.stringify({ id: 'held', prompt: 'A prompt read while the config changes.' })}\n`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    const readOnly = (): never => {
      throw vscode.FileSystemError.NoPermissions();
    };
    const provider: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: () => ({ type: vscode.FileType.File, ctime: 0, mtime: 0, size: content.length }),
      readDirectory: () => [],
      readFile: async () => {
        reading();
        await held;
        return content;
      },
      createDirectory: readOnly,
      writeFile: readOnly,
      delete: readOnly,
      rename: readOnly,
    };
    const registration = vscode.workspace.registerFileSystemProvider('toa-held', provider, { isReadonly: true });
    try {
      const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', vscode.Uri.from({ scheme: 'toa-held', path: '/held.jsonl' }));
      await within(10_000, 'the read of the rows', readStarted);
      await writeConfig(sim.url, { search: { budget: 2 } });
      release();
      const result = await running;
      assert.equal(result?.totals.done, 1);
      assert.equal(result?.totals.plays, BUDGET, 'the budget of the config the rows were read with');
    } finally {
      release();
      registration.dispose();
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test('Synthesize File resuming: the status bar and the panel count the prompts it searched, and the ones already done apart', async () => {
    const file = vscode.Uri.file(inWorkspace('resume.jsonl'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `resume${i}`, prompt: `Resume prompt ${i}` })).join('\n') + '\n'));
    try {
      const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      // As if a cancel had stopped it after three rows: the run searches two, and skips three.
      const traced = (await readFile(first!.outputs.trace, 'utf8')).split('\n').filter(Boolean);
      await writeFile(first!.outputs.trace, `${traced.slice(0, 3).join('\n')}\n`);
      const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.deepEqual([again?.totals.done, again?.totals.skipped], [2, 3]);
      const { api } = await activateExtension();
      assert.equal(api.statusBar().text, '$(type-hierarchy) TOA · last run done: 2/2 · 3 already done');
      assert.deepEqual(countPrompts(api.snapshot().prompts), { finished: 2, total: 2, skipped: 3 });
      // What a window reload restores from the saved snapshot is what the bar shows now.
      assert.equal(idleStatus(lastRunOf(restoredSnapshot(persistableSnapshot(api.snapshot(), 20, 1000)))).text, api.statusBar().text);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  test('Synthesize File after a try on the simulator: the prompts it skips as done say another configuration searched them, and how to search them again', async () => {
    const file = vscode.Uri.file(inWorkspace('switched.jsonl'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(Array.from({ length: 3 }, (_, i) => JSON.stringify({ id: `switched${i}`, prompt: `Switched prompt ${i}` })).join('\n') + '\n'));
    try {
      await setSettings({ useSimulator: true });
      const tried = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(tried?.totals.done, 3);
      // Now on the configured endpoints: resume still counts the simulator's searches as done.
      await setSettings({ useSimulator: false });
      const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.deepEqual([again?.totals.done, again?.totals.skipped, again?.skippedElsewhere], [0, 3, 3]);
      await waitFor('the note in the TOA Studio log', async () => /note: 3 prompts skipped as already done were searched under another configuration \(.*\): data\/traces\.jsonl holds their search\. Synthesize Selection on their lines searches them again/.test(await extensionLog()));
    } finally {
      await resetSettings(['useSimulator']);
      await vscode.workspace.fs.delete(file);
    }
  });

  test("a run from a file open in the panel's group shows the panel beside the file, not over it", async () => {
    await closeAllEditors();
    await openWithSelection('prompts.jsonl', 2, 2);
    await vscode.commands.executeCommand('toaStudio.openPanel');
    // The file opened again in the panel's group, in front of the panel, as a click in the
    // Explorer does while that group has the focus.
    const document = await vscode.workspace.openTextDocument(workspaceUri('prompts.jsonl'));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.Two);
    editor.selection = new vscode.Selection(1, 0, 1, document.lineAt(1).text.length);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.equal(result?.totals.done, 1);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.viewColumn === vscode.ViewColumn.Two && e.document === document), 'the file the run came from is still shown');
    // The panel moved to a third group: closing editors leaves the groups, which the next tests' layout must not inherit.
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  });

  test('synthesizeFile without an argument runs the active document', async () => {
    await openWithSelection('prompts.jsonl', 5, 5);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile');
    assert.ok(result);
    assert.equal(result.totals.prompts, (await fixturePrompts()).length);
    // With the panel's group active (beside the editor), the file is still the one in the editor.
    // Waited for as the active tab: the workbench does not always clear activeTextEditor for a
    // webview a run created beside it (seen when the suite's earlier tests had closed the panel).
    await vscode.commands.executeCommand('toaStudio.openPanel');
    await waitFor('the panel to be the active tab', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview, 10_000);
    const again = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile');
    assert.equal(again?.source, 'prompts.jsonl');
  });

  test('output settings move the outputs', async () => {
    await setSettings({ 'output.sft': 'custom/train.jsonl' });
    try {
      await openWithSelection('prompts.jsonl', 2, 2);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.ok(result);
      assert.equal(result.outputs.sft, inWorkspace('custom', 'train.jsonl'));
      assert.equal((await readJsonl(result.outputs.sft)).length, 1);
      assert.equal((await readJsonl(inWorkspace('data', 'sft.jsonl'))).length, 0, 'nothing in the default SFT file');
    } finally {
      await resetSettings(['output.sft']);
    }
  });

  test('outputs that are one file, or the input file, are refused before anything is written, naming the fields or settings', async () => {
    await setSettings({ 'output.trace': 'data/sft.jsonl' });
    try {
      await openWithSelection('prompts.jsonl', 2, 2);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run was refused');
      const said = `cannot synthesize: setting toaStudio.output.trace is output.sft (${inWorkspace('data', 'sft.jsonl')}); each output needs a file of its own`;
      await waitFor('the refusal in the log', async () => (await extensionLog()).includes(said));
      assert.equal(existsSync(inWorkspace('data', 'sft.jsonl')), false, 'nothing written');
      await setSettings({ 'output.trace': undefined, 'output.sft': 'prompts.jsonl' });
      const prompts = await readFile(inWorkspace('prompts.jsonl'));
      await openWithSelection('prompts.jsonl', 2, 2);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run was refused');
      const input = `cannot synthesize: setting toaStudio.output.sft is the input file (${inWorkspace('prompts.jsonl')}); each output needs a file of its own`;
      await waitFor('the input refusal in the log', async () => (await extensionLog()).includes(input));
      assert.deepEqual(await readFile(inWorkspace('prompts.jsonl')), prompts, 'the prompts are as they were');
    } finally {
      await resetSettings(['output.sft', 'output.trace']);
    }
  });

  test("an output or lock a setting placed names that setting in its errors, not the config file's field", async () => {
    // The SFT file moves too: a prompt an earlier test accepted into the default one is answered
    // there, and auto-accept would write it no row and no pair, so the pairs file would go untried.
    await setSettings({ 'output.sft': 'moved/sft.jsonl', 'output.preference': 'moved/pairs', 'output.trace': 'moved/traces.jsonl' });
    try {
      await mkdir(inWorkspace('moved', 'traces.jsonl.lock'), { recursive: true });
      await openWithSelection('prompts.jsonl', 2, 2);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped at the lock');
      await waitFor('the lock error in the log', async () => /traces\.jsonl\.lock \(the run's lock, beside setting toaStudio\.output\.trace\): is a folder/.test(await extensionLog()));
      await rm(inWorkspace('moved', 'traces.jsonl.lock'), { recursive: true });
      await mkdir(inWorkspace('moved', 'pairs'));
      // Again: the first run's error can leave no text editor active (a notification has focus).
      await openWithSelection('prompts.jsonl', 2, 2);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped at the pairs');
      await waitFor('the output error in the log', async () => /pairs \(setting toaStudio\.output\.preference\): is a folder/.test(await extensionLog()));
    } finally {
      await resetSettings(['output.sft', 'output.preference', 'output.trace']);
      await rm(inWorkspace('moved'), { recursive: true, force: true });
    }
  });

  test('autoAcceptAbove "off" (the panel\'s Off) turns off a threshold the config file sets', async () => {
    await writeConfig(sim.url, { search: { budget: BUDGET }, output: { autoAcceptAbove: -1_000_000 } });
    await setSettings({ autoAcceptAbove: 'off' });
    try {
      await openWithSelection('prompts.jsonl', 2, 2);
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.equal(result?.totals.done, 1);
      assert.equal((await readJsonl(result.outputs.trace)).length, 1);
      assert.equal((await readJsonl(result.outputs.sft)).length, 0, 'nothing accepted without a person');
      const { api } = await activateExtension();
      assert.equal(api.snapshot().autoAcceptAbove, null, 'the panel shows auto-accept off');
    } finally {
      await setSettings({ autoAcceptAbove: -1_000_000 });
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test('compareStrategies runs every strategy on the same prompts and budget', async () => {
    await setSettings({ 'search.budget': 4 });
    try {
      await openWithSelection('prompts.jsonl', 1, 1);
      const result = await vscode.commands.executeCommand<(RunResultLike & { compare?: Array<{ strategy: string; prompts: number; plays: number; meanBestReward: number }> }) | undefined>('toaStudio.compareStrategies');
      assert.ok(result, 'the command resolves with the summary');
      assert.equal(result.cancelled, false);
      assert.ok(result.compare && result.compare.length >= 2, `one row per strategy: ${JSON.stringify(result.compare)}`);
      const strategies = result.compare.map((row) => row.strategy);
      assert.ok(strategies.includes('toa'), `strategies ${strategies.join(', ')}`);
      assert.equal(new Set(strategies).size, strategies.length);
      for (const row of result.compare) {
        assert.equal(row.prompts, 1, `${row.strategy}: prompts`);
        assert.ok(row.plays > 0 && row.plays <= 4, `${row.strategy}: ${row.plays} plays within the budget`);
        assert.ok(Number.isFinite(row.meanBestReward));
      }
      // A comparison writes no outputs: six strategies would give each prompt six trace rows.
      assert.equal(existsSync(inWorkspace('data')), false, 'nothing written');
      // Each strategy's run stays in the panel: the last one is shown, any other opens.
      const { api } = await activateExtension();
      const last = strategies.at(-1)!;
      assert.deepEqual([api.snapshot().strategy, api.snapshot().compareViews], [last, strategies]);
      const lastTree = Object.values(api.snapshot().trees)[0];
      assert.equal(await vscode.commands.executeCommand('toaStudio.showComparedStrategy', 'toa'), true);
      const shown = api.snapshot();
      assert.equal(shown.strategy, 'toa');
      const toaTree = Object.values(shown.trees)[0];
      assert.ok(toaTree && toaTree.strategy === 'toa' && lastTree?.strategy === last, `the tree of the strategy shown: ${toaTree?.strategy}`);
      assert.equal(shown.compare?.length, strategies.length, 'the comparison rows stay');
      // MoA is among the strategies, whatever the config's: its 4 layers of 3 agents need 12 plays.
      const moaNote = /note: search\.budget: 4 is too small for MoA's 4 layers with 3 agents \(12 plays\): it runs 1 repeat of 2 layers, the last with 1 of the 3 agents/;
      await waitFor('the MoA note in the TOA Studio log', async () => moaNote.test(await extensionLog()));
      // The comparison opens as a markdown report.
      const report = await waitFor('the comparison report', () => vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown'), 10_000);
      for (const strategy of strategies) assert.ok(report.document.getText().includes(strategy), `the report names ${strategy}`);
      // An untitled document: revert it, or closing it asks whether to save.
      await vscode.window.showTextDocument(report.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await resetSettings(['search.budget']);
    }
  });

  test('CodeLens: "Synthesize" on every row, "Show tree" on the rows with a trace, and both run', async () => {
    const all = await fixturePrompts();
    const uri = workspaceUri('prompts.jsonl');
    await vscode.window.showTextDocument(uri);
    const lenses = async (): Promise<Array<{ line: number; title: string; command: string; args: unknown[] }>> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [])
        .filter((l) => l.command?.command.startsWith('toaStudio.'))
        .map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command, args: l.command!.arguments ?? [] }));
    const fresh = await waitFor('lenses', async () => ((await lenses()).length ? lenses() : undefined));
    assert.equal(fresh.filter((l) => l.title.endsWith('Synthesize')).length, all.length, 'one Synthesize lens a row');
    assert.equal(fresh.filter((l) => l.title.endsWith('Show tree')).length, 0, 'no trace yet');

    // The lens on row 2 runs that row alone; its "Show tree" then appears and selects the prompt.
    const lens = fresh.find((l) => l.line === 1 && l.title.endsWith('Synthesize'))!;
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>(lens.command, ...lens.args);
    assert.ok(result);
    assert.equal(result.totals.done, 1);
    const traced = await waitFor('a Show tree lens', async () => (await lenses()).find((l) => l.title.endsWith('Show tree')));
    assert.equal(traced.line, 1);
    assert.deepEqual(traced.args[0], all[1]!.id);
    assert.equal(await vscode.commands.executeCommand(traced.command, ...traced.args), true);
  });

  test('CodeLens follows an edit of toa.config.json: rows its input fields no longer read lose their lens, and get it back', async () => {
    const uri = workspaceUri('prompts.jsonl');
    await vscode.window.showTextDocument(uri);
    // The lenses keep the config as last read until a watcher sees it change (change-cache.test.ts counts the reads).
    const synthesizeLines = async (): Promise<string> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [])
        .filter((l) => l.command?.title.endsWith('Synthesize'))
        .map((l) => l.range.start.line)
        .join();
    await waitFor('a lens on every row', async () => (await synthesizeLines()) === '0,1,2,3,4');
    try {
      await writeConfig(sim.url, { search: { budget: BUDGET }, input: { promptField: 'question' } });
      // Every row now needs a question field.
      await waitFor('no row with a lens', async () => (await synthesizeLines()) === '', 10_000);
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
    await waitFor('a lens on every row again', async () => (await synthesizeLines()) === '0,1,2,3,4', 10_000);
  });

  test('CodeLens on a long file: lenses on the first 5,000 lines, and one where they stop that says so and runs the file', async () => {
    const uri = vscode.Uri.file(inWorkspace('long.jsonl'));
    const rows = (n: number): string => `${Array.from({ length: n }, (_, i) => JSON.stringify({ id: `long-${i}`, prompt: `Question ${i}?` })).join('\n')}\n`;
    const lenses = async (): Promise<vscode.CodeLens[]> => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(rows(5_003)));
      await vscode.window.showTextDocument(uri);
      const all = await waitFor('lenses', async () => ((await lenses()).length ? lenses() : undefined));
      assert.equal(all.filter((l) => l.command?.title.endsWith('Synthesize')).length, 5_000, 'bounded: one a row up to the cap');
      const cap = all.filter((l) => l.command?.command === 'toaStudio.synthesizeFile');
      assert.equal(cap.length, 1);
      assert.equal(cap[0]!.range.start.line, 5_000, 'on the first line without its own lens');
      assert.match(cap[0]!.command!.title, /No lenses past line 5,000: Synthesize File runs every row/);
      assert.equal((cap[0]!.command!.arguments![0] as vscode.Uri).toString(), uri.toString());
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(rows(5_000)));
      await waitFor('the file to shrink', async () => ((await vscode.workspace.openTextDocument(uri)).lineCount === 5_001 || undefined));
      assert.equal((await lenses()).filter((l) => l.command?.command === 'toaStudio.synthesizeFile').length, 0, 'every row has its lens: nothing to explain');
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('Show tree on a prompt accepted in an earlier run shows it accepted, as right after the accept', async () => {
    const all = await fixturePrompts();
    const uri = workspaceUri('prompts.jsonl');
    await vscode.window.showTextDocument(uri);
    const run = (line: number): Thenable<RunResultLike | undefined> => vscode.commands.executeCommand('toaStudio.synthesizeSelection', { uri, startLine: line, endLine: line });
    // Row 1 auto-accepted: an SFT row. Row 2 searched by a run that accepts nothing: no row.
    assert.equal((await run(0))?.totals.done, 1);
    await setSettings({ autoAcceptAbove: 'off' });
    try {
      assert.equal((await run(1))?.totals.done, 1);
    } finally {
      await setSettings({ autoAcceptAbove: -1_000_000 });
    }
    const { api } = await activateExtension();
    assert.equal(api.snapshot().prompts.some((p) => p.id === all[0]!.id), false, 'the panel shows the second run alone');
    const showTree = async (line: number): Promise<{ status?: string; reason?: string }> => {
      const lens = await waitFor(`the Show tree lens of line ${line + 1}`, async () =>
        ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).find((l) => l.command?.command === 'toaStudio.showTree' && l.range.start.line === line),
      );
      assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!), true);
      const prompt = api.snapshot().prompts.find((p) => p.id === all[line]!.id);
      return { status: prompt?.status, reason: prompt?.reason };
    };
    // Accept is refused for it (the SFT file answers it): the panel says so, not "done".
    assert.deepEqual(await showTree(0), { status: 'accepted', reason: 'SFT row -> data/sft.jsonl' });
    assert.deepEqual(await showTree(1), { status: 'done', reason: undefined }, 'a prompt without an SFT row stays undecided');
  });

  test('Show tree says a trace or SFT output it cannot read, with its file, line and field, not "no search tree yet"', async () => {
    const all = await fixturePrompts();
    const uri = workspaceUri('prompts.jsonl');
    await vscode.window.showTextDocument(uri);
    const run = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection', { uri, startLine: 0, endLine: 0 });
    assert.equal(run?.totals.done, 1);
    const lens = await waitFor('the Show tree lens of line 1', async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).find((l) => l.command?.command === 'toaStudio.showTree' && l.range.start.line === 0),
    );
    const showTree = (): Thenable<boolean> => vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
    // Another prompt's line, after the row wanted, with a byte that is not UTF-8 (a hand edit in another encoding).
    const bad = Buffer.concat([Buffer.from('{"note":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const { trace, sft } = run.outputs;
    const kept = { trace: await readFile(trace), sft: await readFile(sft) };
    const lineAfter = (bytes: Buffer): number => bytes.toString('utf8').split('\n').length;
    try {
      await writeFile(trace, Buffer.concat([kept.trace, bad]));
      assert.equal(await showTree(), false);
      const said = `cannot show the search tree of prompt ${all[0]!.id}: ${trace} (output.trace): cannot read: line ${lineAfter(kept.trace)} is not valid UTF-8 text`;
      await waitFor('the trace read error in the log', async () => (await extensionLog()).includes(said));

      await writeFile(trace, kept.trace);
      await writeFile(sft, Buffer.concat([kept.sft, bad]));
      assert.equal(await showTree(), true, 'the tree is shown');
      const undecided = `prompt ${all[0]!.id} is shown undecided, since its SFT output cannot be read: ${sft} (output.sft): cannot read: line ${lineAfter(kept.sft)} is not valid UTF-8 text`;
      await waitFor('the SFT read error in the log', async () => (await extensionLog()).includes(undecided));
    } finally {
      await writeFile(trace, kept.trace);
      await writeFile(sft, kept.sft);
    }
  });

  test('CodeLens: "Show tree" follows a row\'s text, not its line number, across files without ids', async () => {
    const write = async (name: string, prompts: string[]): Promise<vscode.Uri> => {
      const uri = vscode.Uri.file(inWorkspace(name));
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(prompts.map((prompt) => JSON.stringify({ prompt })).join('\n') + '\n'));
      return uri;
    };
    const a = await write('no-ids-a.jsonl', ['Name a colour.', 'Name a fruit.']);
    const b = await write('no-ids-b.jsonl', ['Name a river.', 'Name a city.']);
    // The lens provider answers for open documents only.
    await vscode.workspace.openTextDocument(a);
    await vscode.workspace.openTextDocument(b);
    const showTreeLines = async (uri: vscode.Uri): Promise<number[]> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter((l) => l.command?.command === 'toaStudio.showTree').map((l) => l.range.start.line);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection', { uri: b, startLine: 0, endLine: 0 });
    assert.equal(result?.totals.done, 1);
    await waitFor('the Show tree lens of b.jsonl line 1', async () => (await showTreeLines(b)).length === 1);
    assert.deepEqual(await showTreeLines(b), [0]);
    assert.deepEqual(await showTreeLines(a), [], 'a.jsonl line 1 is also "line-1", but another prompt');
    // The row moves down a line: its tree follows it.
    await write('no-ids-b.jsonl', ['Name a mountain.', 'Name a river.', 'Name a city.']);
    await waitFor('the lens on the moved row', async () => JSON.stringify(await showTreeLines(b)) === '[1]');
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', b)) ?? []).find((l) => l.command?.command === 'toaStudio.showTree')!;
    assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!), true);

    // a.jsonl's line 1 runs: the panel now shows that run, whose prompt is "line-1" too. Showing
    // b's tree again must not replace it: it goes beside it, named after its file.
    const runA = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection', { uri: a, startLine: 0, endLine: 0 });
    assert.equal(runA?.totals.done, 1);
    assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!), true);
    type Trace = { runId: string; tree: { nodes: unknown[] } };
    const traces = await readJsonl<Trace>(runA.outputs.trace);
    const treeOf = (runId: string): unknown[] => traces.find((t) => t.runId === runId)!.tree.nodes;
    const { api } = await activateExtension();
    const trees = api.snapshot().trees;
    assert.deepEqual(trees['line-1']?.nodes, treeOf(runA.runId), "a.jsonl's prompt keeps its own tree");
    assert.deepEqual(trees['line-1 (no-ids-b.jsonl)']?.nodes, treeOf(result!.runId), "b.jsonl's tree is shown beside it");
  });

  test('bad rows are reported in the Problems view with their line and field, and nothing is sent', async () => {
    const file = inWorkspace('bad-rows.jsonl');
    const good = JSON.stringify({ id: 'ok', prompt: 'Name a prime number.' });
    const bad = JSON.stringify({ id: 'bad', messages: [{ role: 'robot', content: 'hi' }] });
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), new TextEncoder().encode(`${good}\n${bad}\n`));
    try {
      const before = await sim.counters();
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', vscode.Uri.file(file));
      assert.equal(result, undefined, 'the run does not start');
      const problems = await waitFor('a diagnostic on the bad row', () => vscode.languages.getDiagnostics(vscode.Uri.file(file)).find((d) => d.range.start.line === 1));
      assert.match(problems.message, /^messages\[0\]\.role: /);
      assert.equal(problems.severity, vscode.DiagnosticSeverity.Error);
      const after = await sim.counters();
      assert.equal(after.chatRequests, before.chatRequests, 'no request for a file with a bad row');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(file));
    }
  });

  test('a file with thousands of bad rows: the Problems view gets the first hundred and one more that sums up the rest where they start', async () => {
    const uri = vscode.Uri.file(inWorkspace('many-bad.jsonl'));
    const rows = Array.from({ length: 3000 }, (_, i) => `{"id": "r${i}", "prompt": "question ${i}"`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${rows.join('\n')}\n`));
    try {
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', uri), undefined, 'the run does not start');
      await waitFor('the problems reported', () => vscode.languages.getDiagnostics(uri).length || undefined);
      const diagnostics = vscode.languages.getDiagnostics(uri);
      assert.equal(diagnostics.length, 101, 'bounded: not one diagnostic per bad row');
      const summary = diagnostics.at(-1)!;
      assert.equal(summary.message, '... and 2900 more problems from this line on');
      assert.equal(summary.range.start.line, 100, 'on the first row not listed, not on line 1');
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('reported problems follow edits: a fixed row loses its problem, a row broken meanwhile gets one, without a run', async () => {
    const uri = vscode.Uri.file(inWorkspace('fix-me.jsonl'));
    const good = JSON.stringify({ id: 'ok', prompt: 'Name a prime number.' });
    const bad = JSON.stringify({ id: 'bad', messages: [{ role: 'robot', content: 'hi' }] });
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${good}\n${bad}\n`));
    const lines = (): number[] => vscode.languages.getDiagnostics(uri).map((d) => d.range.start.line);
    try {
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', uri), undefined, 'the run does not start');
      await waitFor('the bad row reported', () => lines().join() === '1' || undefined);
      const document = await vscode.workspace.openTextDocument(uri);
      const fix = new vscode.WorkspaceEdit();
      fix.replace(uri, document.lineAt(1).range, bad.replace('robot', 'user'));
      assert.ok(await vscode.workspace.applyEdit(fix));
      await waitFor('the fixed row to lose its problem', () => lines().length === 0 || undefined);
      // With nothing of ours left on the file, edits are not checked until the next run.
      const breakIt = new vscode.WorkspaceEdit();
      breakIt.replace(uri, document.lineAt(0).range, '{"prompt": 42}');
      assert.ok(await vscode.workspace.applyEdit(breakIt));
      await sleep(800);
      assert.deepEqual(lines(), [], 'a clean file is left to the next run');
      await vscode.commands.executeCommand('toaStudio.synthesizeFile', uri);
      await waitFor('the new bad row reported by the run', () => lines().join() === '0' || undefined);
      const mend = new vscode.WorkspaceEdit();
      mend.replace(uri, document.lineAt(0).range, good);
      mend.replace(uri, document.lineAt(1).range, bad);
      assert.ok(await vscode.workspace.applyEdit(mend));
      await waitFor('the edit checked again: row 1 fixed, row 2 broken', () => lines().join() === '1' || undefined);
      assert.match(vscode.languages.getDiagnostics(uri)[0]!.message, /^messages\[0\]\.role: /);
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri);
    }
  });

  test("a selection run replaces the Problems of the lines it read only: the file's other bad rows stay reported", async () => {
    const file = vscode.Uri.file(inWorkspace('some-bad-rows.jsonl'));
    const row = (id: string, role = 'user'): string => JSON.stringify({ id, messages: [{ role, content: `Prompt ${id}.` }] });
    const write = async (rows: string[]): Promise<void> => {
      const text = rows.join('\n') + '\n';
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      // Selections are read from the open document, which follows the file on disk a moment later.
      await waitFor('the document to follow the file', async () => (await vscode.workspace.openTextDocument(file)).getText() === text);
    };
    const lines = (): number[] => vscode.languages.getDiagnostics(file).map((d) => d.range.start.line).sort((x, y) => x - y);
    await write([row('a'), row('b', 'robot'), row('c'), row('d', 'robot')]);
    try {
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', file), undefined, 'the file does not run');
      await waitFor('both bad rows reported', () => (lines().length === 2 ? true : undefined));
      const first = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection', { uri: file, startLine: 0, endLine: 0 });
      assert.equal(first?.totals.done, 1, 'the good row runs');
      assert.deepEqual(lines(), [1, 3], 'the rows it did not read are still reported');
      // Row 2 fixed and read again with row 3: its problem goes, row 4's stays.
      await write([row('a'), row('b'), row('c'), row('d', 'robot')]);
      const second = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection', { uri: file, startLine: 1, endLine: 2 });
      assert.equal(second?.totals.done, 2);
      assert.deepEqual(lines(), [3]);
      // A selection with a bad row reports it, and keeps the others'.
      await write([row('a', 'robot'), row('b'), row('c'), row('d', 'robot')]);
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection', { uri: file, startLine: 0, endLine: 1 }), undefined);
      assert.deepEqual(lines(), [0, 3]);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  test('an invalid config is reported on the config file, not as row errors, and cleared once fixed', async () => {
    const file = vscode.Uri.file(inWorkspace('questions.jsonl'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`${JSON.stringify({ id: 'q1', question: 'Name a prime number.' })}\n`));
    const configFile = inWorkspace('toa.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    // The rows need input.promptField; the same file has an unrelated mistake.
    const broken = JSON.stringify({ ...config, input: { promptField: 'question' }, search: { budget: 0 } }, null, 2);
    await writeFile(configFile, broken);
    try {
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(result, undefined, 'the run does not start');
      const onConfig = await waitFor('a diagnostic on the config file', () => vscode.languages.getDiagnostics(vscode.Uri.file(configFile))[0]);
      assert.match(onConfig.message, /^search\.budget: /);
      assert.equal(onConfig.range.start.line, broken.split('\n').findIndex((l) => l.includes('"budget"')), 'on the line of the field, not line 1');
      assert.deepEqual(vscode.languages.getDiagnostics(file), [], 'no misleading row error from default input settings');
      await writeFile(configFile, JSON.stringify({ ...config, input: { promptField: 'question' } }, null, 2));
      const fixed = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(fixed?.totals.done, 1, 'the fixed config runs');
      assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(configFile)), [], 'the config file problem is gone');
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
      await vscode.workspace.fs.delete(file);
    }
  });

  test('with a reference reward, rows without a reference are reported before any call', async () => {
    const file = vscode.Uri.file(inWorkspace('math-rows.jsonl'));
    const rows = [{ id: 'm1', prompt: 'What is 2 + 2?', reference: '4' }, { id: 'm2', prompt: 'What is 3 + 3?' }];
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    // The whole reward section is replaced (writeConfig merges sections).
    const configFile = inWorkspace('toa.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(configFile, JSON.stringify({ ...config, reward: { type: 'reference', check: 'math' } }, null, 2));
    try {
      const before = await sim.counters();
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(result, undefined, 'the run does not start');
      const problem = await waitFor('a diagnostic on the row without a reference', () => vscode.languages.getDiagnostics(file).find((d) => d.range.start.line === 1));
      assert.match(problem.message, /^reference: is required: the reward checks answers against a reference/);
      assert.equal((await sim.counters()).chatRequests, before.chatRequests, 'no request');
      // An edit elsewhere is checked again as a run reads the rows: the reference is still missing.
      const document = await vscode.workspace.openTextDocument(file);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(file, document.lineAt(0).range, JSON.stringify({ ...rows[0], prompt: 'What is 2 + 2? Answer with a number.' }));
      assert.ok(await vscode.workspace.applyEdit(edit));
      await sleep(800);
      assert.deepEqual(vscode.languages.getDiagnostics(file).map((d) => d.range.start.line), [1], 'the row without a reference stays reported');
    } finally {
      await closeAllEditors();
      await writeConfig(sim.url, { search: { budget: BUDGET } });
      await vscode.workspace.fs.delete(file);
    }
  });

  test('a reward that gives every answer the same score is reported with the run, in the panel and the log', async () => {
    const { api } = await activateExtension();
    const file = await flatRewardSetup('math-unmatched.jsonl', ['u1', 'u2']);
    const from = (await extensionLog()).length;
    try {
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', file);
      assert.equal(result?.totals.done, 2, 'the run still completes');
      const warnings = api.snapshot().warnings ?? [];
      assert.deepEqual(warnings.map((w) => w.code), ['flat-reward']);
      assert.match(warnings[0]!.message, new RegExp(`^every one of the first ${2 * BUDGET} answers got the same reward, 0, from reward\\.type "reference"`));
      await waitFor('the warning in the log', async () => (await extensionLog()).slice(from).includes(warnings[0]!.message));
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
      await vscode.workspace.fs.delete(file);
    }
  });

  test("a comparison's flat reward is said once, and listed with each strategy's run shown again", async () => {
    const { api } = await activateExtension();
    const name = 'math-unmatched-compare.jsonl';
    const file = await flatRewardSetup(name, ['c1', 'c2']);
    const from = (await extensionLog()).length;
    try {
      await openWithSelection(name, 1, 2);
      const result = await vscode.commands.executeCommand<(RunResultLike & { compare?: Array<{ strategy: string }> }) | undefined>('toaStudio.compareStrategies');
      const strategies = result?.compare?.map((row) => row.strategy) ?? [];
      assert.ok(strategies.length >= 2, `one row per strategy: ${strategies.join(', ')}`);
      for (const strategy of strategies) {
        assert.equal(await vscode.commands.executeCommand('toaStudio.showComparedStrategy', strategy), true, strategy);
        assert.deepEqual((api.snapshot().warnings ?? []).map((w) => w.code), ['flat-reward'], `${strategy}'s run lists the warning`);
      }
      // The log says what the notification says: once for the comparison.
      const said = await waitFor('the warning in the log', async () => (await extensionLog()).slice(from).match(/got the same reward/g) ?? undefined);
      assert.equal(said.length, 1, 'said once, not once per strategy');
      const report = await waitFor('the comparison report', () => vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown'), 10_000);
      await vscode.window.showTextDocument(report.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await closeAllEditors();
      await writeConfig(sim.url, { search: { budget: BUDGET } });
      await vscode.workspace.fs.delete(file);
    }
  });

  test("a selection's rows without a reference are reported beside the file's other problems, not instead of them", async () => {
    const file = vscode.Uri.file(inWorkspace('math-selection.jsonl'));
    const rows = [{ id: 'r1', messages: [{ role: 'robot', content: 'What is 1 + 1?' }], reference: '2' }, { id: 'r2', prompt: 'What is 3 + 3?' }, { id: 'r3', prompt: 'What is 2 + 2?', reference: '4' }];
    const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    await waitFor('the document to follow the file', async () => (await vscode.workspace.openTextDocument(file)).getText() === text);
    const configFile = inWorkspace('toa.config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(configFile, JSON.stringify({ ...config, reward: { type: 'reference', check: 'math' } }, null, 2));
    const lines = (): number[] => vscode.languages.getDiagnostics(file).map((d) => d.range.start.line).sort((x, y) => x - y);
    try {
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeFile', file), undefined, 'the file does not run');
      await waitFor('the bad row reported', () => (lines().join() === '0' ? true : undefined));
      assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection', { uri: file, startLine: 1, endLine: 2 }), undefined, 'the selection does not run');
      await waitFor('the row without a reference reported', () => (lines().includes(1) ? true : undefined));
      assert.deepEqual(lines(), [0, 1], 'the first row, which the selection did not read, is still reported');
    } finally {
      await writeConfig(sim.url, { search: { budget: BUDGET } });
      await vscode.workspace.fs.delete(file);
    }
  });

  test('toaStudio.useSimulator runs on the built-in simulator, not the configured endpoints', async () => {
    await setSettings({ useSimulator: true });
    try {
      await openWithSelection('prompts.jsonl', 2, 3);
      const before = await sim.counters();
      const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      assert.ok(result);
      assert.equal(result.totals.done, 2);
      assert.equal((await readJsonl(result.outputs.sft)).length, 2);
      const after = await sim.counters();
      assert.equal(after.chatRequests, before.chatRequests, 'no request to the configured endpoints');
      assert.equal(after.rewardRequests, before.rewardRequests);
    } finally {
      await resetSettings(['useSimulator']);
    }
  });
});
