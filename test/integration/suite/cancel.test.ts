import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, closeAllEditors, extensionLog, fixturePrompts, inWorkspace, openWithSelection, readJsonl, resetSettings, setSettings, sleep, waitFor, within, workspaceUri, writeConfig, type RunResultLike } from '../helpers/workspace';

const LATENCY_MS = 400;
/** Far more plays than the test waits for: only a cancel ends this run early. */
const BUDGET = 200;

suite('cancel', () => {
  const sim = simSuite({
    sim: { seed: 9, latencyMs: LATENCY_MS, rewardLatencyMs: 20 },
    config: { search: { budget: BUDGET } },
    settings: { autoAcceptAbove: -1_000_000, 'simulator.latencyMs': LATENCY_MS },
    resetAfter: ['search.budget'],
    clearOutputs: 'each',
  });

  test('cancelRun ends a long run at once and no request follows', async () => {
    await closeAllEditors();
    const { api } = await activateExtension();
    const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
    // The first plays (chat answers scored by the reward model), then a chat call sent since the
    // last look, 20 ms ago: it has most of its 400 ms to go when the cancel comes. A call merely in
    // flight may be about to end (ci31: all of them answered between the look and the cancel).
    let sent = Infinity;
    const before = await waitFor('the first plays, then a chat call just sent', async () => {
      const c = await sim.counters();
      const fresh = c.chatRequests > sent;
      sent = c.chatRequests;
      return c.rewardRequests >= 3 && fresh && c.inFlight > 0 && c;
    }, 60_000, 20);
    assert.equal(api.snapshot().running, true, 'the snapshot shows the run');

    const cancelledAt = Date.now();
    await vscode.commands.executeCommand('toaStudio.cancelRun');
    const result = await within(5_000, 'the cancelled run command', running);
    const took = Date.now() - cancelledAt;
    const atResolve = await sim.counters();

    assert.ok(result, 'the run command resolves with the summary of the cancelled run');
    assert.equal(result.cancelled, true);
    assert.ok(took < 2_000, `the command resolved ${took} ms after the cancel`);
    assert.ok(result.totals.plays < 5 * BUDGET, `plays ${result.totals.plays}`);
    assert.ok(result.totals.done < 5, `done ${result.totals.done}`);

    // The calls in flight were aborted (the client closed them), not waited for...
    const settled = await waitFor('no call in flight', async () => {
      const c = await sim.counters();
      return c.inFlight === 0 && c;
    }, 3_000);
    const seen = `counters at the cancel ${JSON.stringify(before)}, when the command resolved ${JSON.stringify(atResolve)}, settled ${JSON.stringify(settled)}`;
    assert.ok(settled.aborted > 0, `calls in flight were aborted: ${seen}`);
    // ...and nothing new is sent afterwards.
    await sleep(3 * LATENCY_MS + 300);
    const after = await sim.counters();
    assert.equal(after.chatRequests, settled.chatRequests, 'chat requests after the cancel');
    assert.equal(after.rewardRequests, settled.rewardRequests, 'reward requests after the cancel');
    assert.equal(api.snapshot().running, false);

    // The log says what the run kept and that Synthesize File goes on from there (the notification says the same).
    const kept = result.totals.done ? `The outputs hold the ${result.totals.done} prompts? done before the cancel` : 'Nothing was written';
    const hint = new RegExp(`cancelled: ${result.totals.done} of \\d+ prompts done.*\\. ${kept}; Synthesize File on prompts\\.jsonl goes on where this run stopped, skipping the prompts already in the trace\\.`);
    await waitFor('the resume hint in the log', async () => hint.test(await extensionLog()));
  });

  test('a cancelled selection says what it kept and that a selection is searched again in full', async () => {
    await setSettings({ 'search.budget': 2 });
    try {
      await openWithSelection('prompts.jsonl', 1, 1);
      const before = (await sim.counters()).chatRequests;
      const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
      // A call takes 400 ms: the cancel comes before the prompt's first play ends.
      await waitFor('the first call', async () => (await sim.counters()).chatRequests > before, 60_000);
      await vscode.commands.executeCommand('toaStudio.cancelRun');
      const result = await within(5_000, 'the cancelled run command', running);
      assert.deepEqual([result?.cancelled, result?.totals.done], [true, 0]);
      const hint = /cancelled: 0 of 1 prompt done, \d+ plays, \$[\d.]+\. Nothing was written; Synthesize Selection searches it again\./;
      await waitFor('the hint in the log', async () => hint.test(await extensionLog()));
    } finally {
      await resetSettings(['search.budget']);
    }
  });

  test('a cancel while Synthesize File reads a big trace to resume (the panel and status bar say so) ends the run at once: no lock, nothing written, the run shown cancelled', async () => {
    await closeAllEditors();
    const { api } = await activateExtension();
    const trace = inWorkspace('data', 'traces.jsonl');
    // The fixture's prompts are done, after 500,000 short rows of other prompts (about 20 MB):
    // seconds to read, as a big trace of real trees is.
    const done = (await fixturePrompts()).map((p) => `${JSON.stringify({ promptId: p.id, messages: p.messages })}\n`);
    const rows = Array.from({ length: 500_000 }, (_, i) => `{"promptId":"old-${i}","messages":[]}\n`).join('') + done.join('');
    await mkdir(inWorkspace('data'), { recursive: true });
    await writeFile(trace, rows);
    const synthesize = (): Thenable<RunResultLike | undefined> => vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));

    // The whole read, to compare with: every prompt is done, so the run searches nothing.
    let started = Date.now();
    const full = await synthesize();
    const fullMs = Date.now() - started;
    assert.equal(full?.totals.skipped, done.length, 'the resume read the whole trace');
    assert.ok(fullMs > 500, `the trace took ${fullMs} ms to read: too little to see a cancel cut it short`);

    const before = await sim.counters();
    const running = synthesize();
    // The panel and the status bar show the setup (the panel's Cancel run is the same cancel).
    const reading = /^reading data\/traces\.jsonl for the prompts already done$/;
    await waitFor('the panel showing the trace being read', () => reading.test(api.snapshot().preparing?.step ?? ''), 10_000, 5);
    assert.ok(existsSync(`${trace}.lock`), 'the outputs are locked');
    const { from } = JSON.parse(await readFile(`${trace}.lock`, 'utf8')) as { from?: Record<string, { bytes: number }> };
    assert.equal(from?.trace?.bytes, Buffer.byteLength(rows), 'the lock records where the rows of this run begin, for recovery after a crash');
    assert.equal(api.snapshot().preparing?.source, 'prompts.jsonl');
    assert.match(api.statusBar().text, /TOA preparing: reading data\/traces\.jsonl/);
    started = Date.now();
    await vscode.commands.executeCommand('toaStudio.cancelRun');
    const result = await within(10_000, 'the cancelled run command', running);
    const cancelMs = Date.now() - started;

    assert.equal(result?.cancelled, true);
    assert.ok(cancelMs < fullMs / 3, `the run ended ${cancelMs} ms after the cancel; the whole read takes ${fullMs} ms`);
    assert.equal(existsSync(`${trace}.lock`), false, 'the lock is released');
    assert.equal(await readFile(trace, 'utf8'), rows, 'the trace is as it was');
    assert.deepEqual(await readJsonl(inWorkspace('data', 'sft.jsonl')), []);
    assert.equal((await sim.counters()).chatRequests, before.chatRequests, 'nothing sent');
    assert.equal(api.snapshot().outcome, 'cancelled');
    assert.equal(api.snapshot().preparing, undefined, 'the setup ended in the cancelled run');
    assert.match(api.statusBar().text, /last run cancelled/);
  });

  test('a cancel while Synthesize File reads the rows of a big file from disk ends the run at once: the panel and status bar showed the read, nothing is sent or written', async () => {
    await closeAllEditors();
    const { api } = await activateExtension();
    const file = inWorkspace('big-prompts.jsonl');
    // About a second to read in the extension host: this test's polling runs only if the read gives way.
    await writeFile(file, Array.from({ length: 300_000 }, (_, i) => `{"id":"big-${i}","prompt":"Question ${i}?"}\n`).join(''));
    try {
      const before = await sim.counters();
      const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('big-prompts.jsonl'));
      const preparing = await waitFor('the panel showing the rows being read', () => {
        const p = api.snapshot().preparing;
        return p?.step === 'reading the prompts' && p.progress !== undefined && p;
      }, 10_000, 5);
      assert.equal(preparing.source, 'big-prompts.jsonl');
      // Of the file's non-blank lines, as countRows counts them.
      assert.match(preparing.progress!, /^[\d,]+ of 300,000 lines$/);
      assert.match(api.statusBar().text, /^\$\(sync~spin\) TOA preparing: reading the prompts \([\d,]+ of 300,000 lines\)/);
      const cancelledAt = Date.now();
      await vscode.commands.executeCommand('toaStudio.cancelRun');
      const result = await within(2_000, 'the run command after the cancel', running);
      const took = Date.now() - cancelledAt;

      assert.equal(result, undefined, 'the run did not start');
      assert.ok(took < 1_000, `the run ended ${took} ms after the cancel`);
      assert.equal(api.snapshot().preparing, undefined, 'the panel left Preparing');
      assert.equal(api.snapshot().running, false);
      assert.doesNotMatch(api.statusBar().text, /preparing/, 'the status bar left Preparing');
      assert.doesNotMatch(await extensionLog(), /prompts from big-prompts\.jsonl/, 'the read did not finish');
      assert.equal(existsSync(inWorkspace('data')), false, 'no output, no lock');
      assert.equal((await sim.counters()).chatRequests, before.chatRequests, 'nothing sent');
    } finally {
      await rm(file, { force: true });
    }
  });

  test('a cancel while the API key box is open closes it and ends the run at once: the panel and status bar leave Preparing', async () => {
    const { api } = await activateExtension();
    // A remote endpoint with no key stored: the run's setup asks for one before sending anything.
    await writeConfig('http://toa-no-key.invalid', { search: { budget: BUDGET } });
    await openWithSelection('prompts.jsonl', 1, 1);
    const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    try {
      await waitFor('the setup asking for the key', () => api.snapshot().preparing?.step === 'checking the API keys', 10_000, 5);
      assert.match(api.statusBar().text, /TOA preparing: checking the API keys/);
      await sleep(500); // the box is up
      await vscode.commands.executeCommand('toaStudio.cancelRun');
      // The box closing is what lets the run go on: showInputBox resolves once the box is gone.
      const result = await within(2_000, 'the run command after the cancel', running);
      assert.equal(result, undefined, 'the run did not start');
      assert.equal(api.snapshot().preparing, undefined, 'the panel left Preparing');
      assert.doesNotMatch(api.statusBar().text, /preparing/, 'the status bar left Preparing');
      assert.equal(api.snapshot().running, false);
    } finally {
      // Escape, should the box still be up: the run must end before the next test.
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await within(10_000, 'the run command after Escape', running);
      await writeConfig(sim.url, { search: { budget: BUDGET } });
    }
  });

  test('cancelRun with no run is harmless, and the next run starts', async () => {
    await vscode.commands.executeCommand('toaStudio.cancelRun');
    await setSettings({ 'search.budget': 2 });
    await openWithSelection('prompts.jsonl', 1, 1);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result, 'a run starts after a cancelled one');
    assert.equal(result.cancelled, false);
    assert.equal(result.totals.done, 1);
    assert.equal(result.totals.plays, 2, 'toaStudio.search.budget overrides the configuration');
  });

  test('cancelRun stops a run on the built-in simulator too', async () => {
    await setSettings({ useSimulator: true, 'search.budget': BUDGET });
    try {
      const { api } = await activateExtension();
      await closeAllEditors();
      const previous = api.snapshot().runId;
      const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
      await waitFor('the first plays of the new run', () => {
        const s = api.snapshot();
        return s.running && s.runId !== previous && (s.totals?.plays ?? 0) >= 2;
      }, 60_000);
      const cancelledAt = Date.now();
      await vscode.commands.executeCommand('toaStudio.cancelRun');
      const result = await within(5_000, 'the cancelled run command', running);
      assert.ok(result);
      assert.equal(result.cancelled, true);
      assert.ok(Date.now() - cancelledAt < 2_000);
      const plays = api.snapshot().totals?.plays;
      await sleep(3 * LATENCY_MS);
      assert.equal(api.snapshot().totals?.plays, plays, 'no play finishes after the cancel');
    } finally {
      await resetSettings(['useSimulator']);
    }
  });

  test('a comparison cancelled in its second strategy reports the prompts it compared, not the totals spread over the rows', async () => {
    await closeAllEditors();
    await setSettings({ 'search.budget': 3 });
    try {
      const { api } = await activateExtension();
      await openWithSelection('prompts.jsonl', 1, 2);
      const running = vscode.commands.executeCommand<(RunResultLike & { compare?: unknown[] }) | undefined>('toaStudio.compareStrategies');
      // TOA has finished (it has a row) and the next strategy has started: the cancel cuts that one short.
      await waitFor('the second strategy', () => api.snapshot().running && api.snapshot().strategy !== 'toa', 60_000);
      await vscode.commands.executeCommand('toaStudio.cancelRun');
      const result = await within(5_000, 'the cancelled comparison', running);
      assert.ok(result?.cancelled && result.compare?.length, `a cancelled comparison with rows: ${JSON.stringify(result?.compare)}`);
      const report = await waitFor('the comparison report', () => vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown'), 10_000);
      assert.match(report.document.getText(), /^2 prompts from prompts\.jsonl/m);
      await vscode.window.showTextDocument(report.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await resetSettings(['search.budget']);
    }
  });

  test('a panel the user closes during a run stays closed while the run goes on', async () => {
    await closeAllEditors();
    const { api } = await activateExtension();
    const panelTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === 'TOA Studio');
    const running = vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
    await waitFor('the panel, opened as the run starts', () => panelTabs().length === 1, 60_000);
    const atStart = (await sim.counters()).rewardRequests;
    await waitFor('the first plays', async () => (await sim.counters()).rewardRequests >= atStart + 2, 60_000);
    await vscode.window.tabGroups.close(panelTabs());
    const played = (await sim.counters()).rewardRequests;
    await waitFor('more plays after the panel closed', async () => (await sim.counters()).rewardRequests >= played + 6, 60_000);
    assert.equal(api.snapshot().running, true);
    assert.deepEqual(panelTabs(), [], 'run events do not reopen the panel');
    await vscode.commands.executeCommand('toaStudio.cancelRun');
    await within(5_000, 'the cancelled run command', running);
    assert.deepEqual(panelTabs(), []);
  });
});
