import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, extensionLog, fixturePrompts, inWorkspace, openWithSelection, readJsonl, waitFor, workspaceUri, type RunResultLike } from '../helpers/workspace';

/** sim-medium's key works for this many calls, then is revoked (the sim answers 401). */
const ACCEPTED_CALLS = 2;

suite('a key revoked mid-run', () => {
  const sim = simSuite({
    sim: { seed: 7, faults: { revokeKeyAfter: { 'sim-medium': ACCEPTED_CALLS } } },
    // One prompt at a time: the prompts before the revocation finish, the rest never start.
    config: { search: { budget: 4 }, run: { concurrency: 1 } },
    settings: { autoAcceptAbove: -1_000_000 },
    clearOutputs: 'suite',
  });

  test('stops the run at once naming the agent and that its key was accepted earlier; the prompts done are written, and Synthesize File resumes', async () => {
    const all = await fixturePrompts();
    await openWithSelection('prompts.jsonl', 1, all.length);
    assert.equal(await vscode.commands.executeCommand('toaStudio.synthesizeSelection'), undefined, 'the run stopped');

    const said = /cannot synthesize: agent "medium": 401 Incorrect API key provided \(simulated: the key for sim-medium was revoked after 2 calls\)\. The endpoint did not accept the API key: check the key set for it \(VS Code: TOA Studio: Set API Key; .*\)\. The key was accepted earlier in this run\. Every call with these settings would be refused, so the run stops\. (.*)/;
    const log = await waitFor('the stop in the TOA Studio log', async () => said.exec(await extensionLog()));
    const { api } = await activateExtension();
    const snapshot = api.snapshot();
    // Then what the run kept, and how to go on after a selection (the notification says the same).
    const kept = snapshot.prompts.filter((p) => p.status === 'done' || p.status === 'accepted').length;
    assert.equal(log[1], `The outputs hold the ${kept} prompt${kept === 1 ? '' : 's'} done before the stop; Synthesize Selection would search ${kept === 1 ? 'it' : 'them'} again, as it searches a selection in full: once its cause is fixed, select only the prompts left, or run Synthesize File, which skips the prompts already in the trace (over the whole file).`);
    assert.equal(snapshot.outcome, 'stopped');
    const counters = await sim.counters();
    assert.equal(counters.faults['401'], 1, 'stopped at the first refusal: not retried, no other prompt sent to the revoked key');

    const traces = await readJsonl<{ promptId: string }>(inWorkspace('data', 'traces.jsonl'));
    const done = snapshot.prompts.filter((p) => p.status === 'done' || p.status === 'accepted').map((p) => p.id);
    assert.ok(traces.length >= 1 && traces.length < all.length, `${traces.length} of ${all.length} prompts done before the stop`);
    assert.deepEqual(traces.map((t) => t.promptId), done, 'the trace holds the prompts the panel shows done');
    assert.equal((await readJsonl(inWorkspace('data', 'sft.jsonl'))).length, traces.length, 'and their SFT rows');
    // The panel says it on the prompt the refusal met, beside the prompts done before.
    const failed = snapshot.prompts.filter((p) => p.status === 'failed');
    assert.equal(failed.length, 1, JSON.stringify(snapshot.prompts.map((p) => [p.id, p.status])));
    assert.match(failed[0]!.reason ?? '', /^agent "medium": 401 .*\. The key was accepted earlier in this run\. Every call with these settings would be refused, so the run stops\.$/);

    // The key works again (restored): Synthesize File searches only the prompts the stop left.
    sim.sim.setFaults({ revokeKeyAfter: {} });
    const resumed = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeFile', workspaceUri('prompts.jsonl'));
    assert.ok(resumed, 'the second run finished');
    assert.deepEqual([resumed.totals.skipped, resumed.totals.done, resumed.totals.failed], [traces.length, all.length - traces.length, 0]);
    const after = await readJsonl<{ promptId: string }>(resumed.outputs.trace);
    assert.deepEqual(after.map((t) => t.promptId).sort(), all.map((p) => p.id).sort(), 'every prompt once in the trace');
  });
});
