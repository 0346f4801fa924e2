import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSim, type SimServer } from '../../../src/sim';

/** toa run stopped by an error: what it kept (the table, the written line), then why it stopped. */

const MAIN = join(__dirname, '../../../src/cli/main.ts');

let sim: SimServer;
let dir: string;

before(async () => {
  sim = await startSim({ port: 0, seed: 1 });
  dir = await mkdtemp(join(tmpdir(), 'toa-stopped-'));
  await writeFile(join(dir, 'prompts.jsonl'), ['a', 'b', 'c', 'd', 'e', 'f'].map((prompt, i) => JSON.stringify({ id: `p${i}`, prompt: `question ${prompt}` })).join('\n') + '\n');
});

after(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * `toa run` with stdout and stderr on one file, as a terminal shows them: the order of what it
 * says across the two is what is checked.
 */
async function run(name: string, config: Record<string, unknown>): Promise<{ code: number | null; said: string }> {
  const cfg = join(dir, `${name}.json`);
  await writeFile(cfg, JSON.stringify({ search: { strategy: 'best-of-n', budget: 2, seed: 1 }, run: { concurrency: 1 }, output: { sft: `${name}/s.jsonl`, preference: `${name}/p.jsonl`, trace: `${name}/t.jsonl` }, ...config }));
  const out = await open(join(dir, `${name}.out`), 'w');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', '--config', cfg, '--input', join(dir, 'prompts.jsonl'), '--quiet'], { stdio: ['ignore', out.fd, out.fd] });
    const [code] = await once(child, 'exit');
    return { code: code as number | null, said: await readFile(join(dir, `${name}.out`), 'utf8') };
  } finally {
    await out.close();
  }
}

test('an endpoint nothing listens on: no call answered, so no table; "written: nothing" and no outputs, then the error, last', async () => {
  const result = await run('down', {
    agents: [{ name: 'gone', baseURL: 'http://127.0.0.1:9/v1', model: 'm', maxRetries: 0 }],
    reward: { type: 'vllm', baseURL: sim.url, model: 'sim-reward' },
  });
  assert.equal(result.code, 1, result.said);
  const lines = result.said.trimEnd().split('\n');
  assert.doesNotMatch(result.said, /^agent\s+calls/m, 'no table of calls that never answered');
  assert.deepEqual(lines.slice(-3, -1), ['written: nothing', 'outputs: none written (no prompt finished)'], result.said);
  assert.match(lines.at(-1)!, /^toa run: agent "gone" cannot be reached at http:\/\/127\.0\.0\.1:9\/v1 \(agents\[0\]\.baseURL\)/);
});

test('a key refused after some calls: the table of what ran, what was written and where, then the stop note and the error, last', async () => {
  let scored = 0;
  const scorer: Server = createServer((req, res) => {
    req.resume().on('end', () => {
      const refuse = ++scored > 4;
      res.writeHead(refuse ? 401 : 200, { 'content-type': 'application/json' }).end(refuse ? '{"error":{"message":"Invalid API key"}}' : '{"score":0.5}');
    });
  });
  await new Promise<void>((resolve) => scorer.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(scorer.address() as AddressInfo).port}/score`;
    const result = await run('revoked', {
      agents: [{ name: 'large', baseURL: `${sim.url}/v1`, model: 'sim-large' }],
      reward: { type: 'http', url, bodyTemplate: '{"text": {{response}}}', scorePath: 'score' },
    });
    assert.equal(result.code, 1, result.said);
    const lines = result.said.trimEnd().split('\n');
    const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));
    const table = at(/^agent\s+calls/);
    const row = at(/^large\s+\d+/);
    const totals = at(/^2 done/);
    const written = at(/^written: 2 trace rows, 2 SFT rows, 0 preference pairs$/);
    // As a finished run says where its outputs are, in the same place and form (no pair: no preference file).
    const outputs = lines.indexOf(`outputs: ${['s', 't'].map((output) => join(dir, 'revoked', `${output}.jsonl`)).join(', ')}`);
    const note = at(/^stopped: the outputs hold the 2 prompts done before the stop/);
    const error = at(/^toa run: reward http: 401 Invalid API key/);
    assert.ok(table >= 0 && row === table + 2 && totals > row && written > totals && outputs === written + 1 && note === outputs + 1 && error === note + 1, result.said);
    assert.equal(error, lines.length - 1, 'the error stays last');
  } finally {
    await new Promise((resolve) => scorer.close(resolve));
  }
});
