import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSim, type SimServer } from '../../../src/sim';

/** `toa validate --ping`: one call to each endpoint of a config, against the simulator and a closed port. */

const MAIN = join(__dirname, '../../../src/cli/main.ts');

let sim: SimServer;
let dir: string;

before(async () => {
  sim = await startSim({ port: 0, seed: 1 });
  dir = await mkdtemp(join(tmpdir(), 'toa-ping-'));
});

after(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function validate(name: string, config: Record<string, unknown>, flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ reward: { type: 'vllm', baseURL: sim.url, model: 'sim-reward' }, ...config }));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'validate', '--config', file, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

const agent = (name: string, model: string, baseURL = `${sim.url}/v1`): Record<string, unknown> => ({ name, baseURL, model, maxRetries: 0 });

test('toa validate --ping calls every agent and the reward once, and says each answered', async () => {
  const { code, stdout, stderr } = await validate('fine', { agents: [agent('large', 'sim-large'), agent('small', 'sim-small')] }, ['--ping']);
  assert.equal(code, 0, stdout + stderr);
  const lines = stdout.split('\n').filter((line) => /^(ok|FAILED) /.test(line));
  assert.equal(lines.length, 3, stdout);
  assert.match(lines[0]!, new RegExp(String.raw`^ok      agent "large" \(agents\[0\]\.baseURL, ${sim.url}/v1\): answered in \d+ ms: ".+"$`));
  assert.match(lines[1]!, /^ok {6}agent "small" \(agents\[1\]\.baseURL, .*\): answered in \d+ ms: /);
  assert.match(lines[2]!, new RegExp(String.raw`^ok      the reward endpoint \(vllm\) \(reward\.baseURL, ${sim.url}\): scored an answer -?[\d.e-]+ in \d+ ms$`));
  assert.equal(sim.counters().chatRequests, 2, 'one call per agent');
  assert.equal(sim.counters().rewardRequests, 1, 'one reward call');
});

test('toa validate --ping names each endpoint that did not answer, says what to check, and exits 1', async () => {
  const agents = [agent('large', 'sim-large'), agent('gone', 'm', 'http://127.0.0.1:9/v1'), agent('typo', 'sim-lrage')];
  const { code, stdout, stderr } = await validate('broken', { agents }, ['--ping']);
  assert.equal(code, 1, stdout + stderr);
  assert.match(stdout, /^ok {6}agent "large" /m);
  assert.ok(stdout.includes('FAILED  agent "gone" (agents[1].baseURL, http://127.0.0.1:9/v1): gave up after 1 attempt: connection failed: connect ECONNREFUSED 127.0.0.1:9. Check agents[1].baseURL, and that the server is running.\n'), stdout);
  assert.match(stdout, /^FAILED {2}agent "typo" \(agents\[2\]\.baseURL, .*\): 404 The model `sim-lrage` does not exist or you do not have access to it\. The endpoint does not know this model or path: check the model name and the URL\.$/m);
  assert.match(stdout, /^ok {6}the reward endpoint \(vllm\) /m);
  assert.equal(stderr, 'toa validate: 2 of 4 endpoints did not answer\n');
});

test('toa validate calls nothing without --ping', async () => {
  const before = sim.counters().chatRequests;
  const { code, stdout } = await validate('quiet', { agents: [agent('large', 'sim-large')] }, []);
  assert.equal(code, 0, stdout);
  assert.doesNotMatch(stdout, /^(ok|FAILED) /m);
  assert.equal(sim.counters().chatRequests, before);
});
