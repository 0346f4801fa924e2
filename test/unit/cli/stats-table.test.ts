import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentStatsTable } from '../../../src/cli/stats-table';
import type { AgentStats } from '../../../src/shared/stats';

const idle: AgentStats = { name: 'idle', calls: 0, failures: 0, retries: 0, cutOff: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, medianLatencyMs: 0, meanReward: null, wins: 0, winShare: 0 };

test('an agent that made no call (a resumed run that skipped every prompt) shows no mean reward or latency, not 0', () => {
  const busy: AgentStats = { ...idle, name: 'busy', calls: 3, meanReward: 0.5, medianLatencyMs: 42 };
  const [, , idleRow, busyRow] = agentStatsTable([idle, busy]).split('\n');
  assert.match(idleRow!, /^idle\s+0\s+0\s+0\s+0\s+–\s+0\s+0\.0%\s+0\s+0\s+–\s+\$0\.0000$/);
  assert.match(busyRow!, /^busy\s+3\s+0\s+0\s+0\s+0\.5000\s+0\s+0\.0%\s+0\s+0\s+42 ms\s+\$0\.0000$/);
});

test('an agent every call to which failed (an endpoint down) shows no mean reward or latency either, not 0.0000 and 0 ms', () => {
  const down: AgentStats = { ...idle, name: 'down', calls: 8, failures: 8, retries: 16 };
  const flaky: AgentStats = { ...idle, name: 'flaky', calls: 4, failures: 3, meanReward: 0, medianLatencyMs: 12 };
  const [, , downRow, flakyRow] = agentStatsTable([down, flaky]).split('\n');
  assert.match(downRow!, /^down\s+8\s+8\s+16\s+0\s+–\s+0\s+0\.0%\s+0\s+0\s+–\s+\$0\.0000$/);
  assert.match(flakyRow!, /^flaky\s+4\s+3\s+0\s+0\s+0\.0000\s+0\s+0\.0%\s+0\s+0\s+12 ms\s+\$0\.0000$/, 'one answered call: its reward and latency are shown');
});

test('an agent whose answers were never scored (the reward endpoint down) shows its latency but no mean reward', () => {
  const unscored: AgentStats = { ...idle, name: 'unscored', calls: 3, medianLatencyMs: 40 };
  const [, , row] = agentStatsTable([unscored]).split('\n');
  assert.match(row!, /^unscored\s+3\s+0\s+0\s+0\s+–\s+0\s+0\.0%\s+0\s+0\s+40 ms\s+\$0\.0000$/);
});

test('mean rewards have four decimals and line up on the point, whichever agent comes first', () => {
  const agents: AgentStats[] = [
    { ...idle, name: 'a', calls: 1, meanReward: 0.08 },
    { ...idle, name: 'b', calls: 1, meanReward: 0.0813 },
    { ...idle, name: 'c', calls: 1, meanReward: -12.5 },
    { ...idle, name: 'd' },
  ];
  const lines = agentStatsTable(agents).split('\n');
  const column = lines[0]!.indexOf('mean reward');
  const cells = lines.slice(2).map((line) => line.slice(column, column + 'mean reward'.length));
  assert.deepEqual(cells, ['     0.0800', '     0.0813', '   -12.5000', '          –']);
});

test('wins shared by tied agents are shown to one decimal, whole ones as they are', () => {
  const table = agentStatsTable([{ ...idle, name: 'a', wins: 2.5, winShare: 0.5 }, { ...idle, name: 'b', wins: 1 / 3, winShare: 1 / 15 }, { ...idle, name: 'c', wins: 3, winShare: 0.6 }]);
  const [header, , ...rows] = table.split('\n');
  const column = header!.indexOf(' wins ') + 1;
  const wins = rows.map((line) => line.slice(column).split(' ')[0]);
  assert.deepEqual(wins, ['2.5', '0.3', '3']);
});
