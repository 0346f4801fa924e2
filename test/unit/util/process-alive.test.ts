import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { processAlive, statState, type ProcessProbe } from '../../../src/core/util/process-alive';

test("a /proc stat line's state is the field after the last ')' of the command name, which may hold spaces and parentheses", () => {
  assert.equal(statState('1234 (node) S 1 1234 1234 0 -1'), 'S');
  assert.equal(statState('1234 (toa run) Z 1 1234 1234 0 -1'), 'Z');
  assert.equal(statState('1234 (a) R (b)) Z 1 1234 1234 0 -1'), 'Z', 'a name that holds ") R (" is not read as the state');
  assert.equal(statState('1234 (x)\tX 1'), 'X');
  assert.equal(statState('1234 (cut off'), undefined);
  assert.equal(statState('1234 (x)'), undefined);
});

/** A Linux probe (or another platform's) whose stat line says `state`, or whose read fails with `code`. */
const probe = (platform: NodeJS.Platform, outcome: { state: string } | { code: string }): ProcessProbe => ({
  platform,
  readStat: (pid) => {
    if ('state' in outcome) return `${pid} (toa) ${outcome.state} 1 1 1 0 -1`;
    throw Object.assign(new Error(outcome.code), { code: outcome.code });
  },
});

test('a live process is alive unless Linux says it is a zombie; elsewhere kill(pid, 0) alone decides', async () => {
  // This test's parent stands in for a live run.
  const live = process.ppid;
  assert.equal(processAlive(live, probe('linux', { state: 'S' })), true);
  assert.equal(processAlive(live, probe('linux', { state: 'R' })), true);
  assert.equal(processAlive(live, probe('linux', { state: 'Z' })), false, 'a zombie runs no code and holds nothing');
  assert.equal(processAlive(live, probe('linux', { state: 'X' })), false);
  assert.equal(processAlive(live, probe('linux', { code: 'ENOENT' })), false, 'gone since kill(pid, 0) found it');
  assert.equal(processAlive(live, probe('linux', { code: 'EACCES' })), true, 'a stat it may not read leaves kill\'s answer');
  assert.equal(processAlive(live, probe('darwin', { state: 'Z' })), true, 'no /proc to ask');
  assert.equal(processAlive(live), true, 'this system');
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  assert.equal(processAlive(child.pid!, probe('linux', { state: 'S' })), false, 'a pid kill(pid, 0) does not find is not read');
});
