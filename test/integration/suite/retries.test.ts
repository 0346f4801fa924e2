import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { simSuite } from '../helpers/sim-suite';
import { activateExtension, extensionLog, fixturePrompts, openWithSelection, waitFor, type RunResultLike } from '../helpers/workspace';

suite('retries in the log', () => {
  const sim = simSuite({
    // A rate limit on half the chat calls, with Retry-After 0: retried at once.
    sim: { seed: 11, faults: { rate429: 0.5, retryAfterSeconds: 0 } },
    config: { search: { budget: 8 } },
    settings: { autoAcceptAbove: -1_000_000 },
    clearOutputs: 'suite',
  });

  test('says the first retry of each agent and reason in full, then counts the rest, and every retry is counted once', async () => {
    const before = (await extensionLog()).length;
    const all = await fixturePrompts();
    await openWithSelection('prompts.jsonl', 1, all.length);
    const result = await vscode.commands.executeCommand<RunResultLike | undefined>('toaStudio.synthesizeSelection');
    assert.ok(result, 'the run finished');
    // The retries the Agents table counts (a call may spend its retries and fail its prompt).
    const { api } = await activateExtension();
    const retried = api.snapshot().agentStats.reduce((sum, agent) => sum + agent.retries, 0);
    assert.ok(retried >= 10 && retried <= ((await sim.counters()).faults['429'] ?? 0), `${retried} retries`);

    // The counts are said when the run ends: wait for the log to hold all of them.
    const said = await waitFor('every retry in the log', async () => {
      const lines = (await extensionLog()).slice(before).split('\n').filter((line) => line.includes('retry: '));
      const first = lines.filter((line) => / attempt \d+ after 429 /.test(line));
      const counted = lines.map((line) => / (\d+) more retr(?:y|ies) \(429 /.exec(line)?.[1]).filter((n) => n !== undefined).map(Number);
      const total = first.length + counted.reduce((sum, n) => sum + n, 0);
      return total === retried && { lines, first };
    }, 10_000).catch(async (error: Error) => assert.fail(`${error.message}; ${retried} retries; the log: ${(await extensionLog()).slice(before)}`));
    const agents = said.first.map((line) => /retry: (agent "[^"]+")/.exec(line)?.[1]);
    assert.equal(new Set(agents).size, agents.length, `one line in full per agent: ${said.first.join(' | ')}`);
    assert.ok(said.lines.length < retried, `${said.lines.length} log lines for ${retried} retries`);
  });
});
