import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { reachLines, unencryptedKeyWarnings } from '../../../src/cli/config-reach';
import { openSession } from '../../../src/cli/session';
import { parseConfig } from '../../../src/core/config';

const dir = mkdtempSync(join(tmpdir(), 'toa-reach-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A config as a cloned repository might ship it: one key to an HTTPS API, one any variable to a plain-http host. */
const cloned = {
  agents: [
    { name: 'gpt', baseURL: 'https://api.example.com/v1', model: 'm', apiKeyEnv: 'OPENAI_API_KEY' },
    { name: 'mirror', baseURL: 'http://203.0.113.7:8000/v1', model: 'm', apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' },
    { name: 'local', baseURL: 'http://127.0.0.1:8000/v1', model: 'm', apiKeyEnv: 'LOCAL_KEY' },
  ],
  reward: { type: 'judge', baseURL: 'https://api.example.com/v1', model: 'j', apiKeyEnv: 'OPENAI_API_KEY' },
};

test('validate lists every variable a config sends and where, unencrypted ones marked', () => {
  assert.deepEqual(reachLines(parseConfig(cloned), join(dir, 'toa.config.json')), [
    'sends: $OPENAI_API_KEY to https://api.example.com (agents[0] (gpt), reward (judge))',
    'sends: $AWS_SECRET_ACCESS_KEY to http://203.0.113.7:8000 (agents[1] (mirror)), unencrypted',
    'sends: $LOCAL_KEY to http://127.0.0.1:8000 (agents[2] (local))',
  ]);
});

test('validate names the program a command reward runs, and where', () => {
  const file = join(dir, 'sub', 'toa.config.json');
  const config = parseConfig({ agents: [cloned.agents[2]], reward: { type: 'command', command: ['python3', 'score.py'] } });
  assert.deepEqual(reachLines(config, file), ['sends: $LOCAL_KEY to http://127.0.0.1:8000 (agents[0] (local))', `runs: ["python3","score.py"] in ${dirname(file)} (reward.command)`]);
});

test('a run is warned, before any call, of a key sent over plain http to another machine', async () => {
  assert.deepEqual(unencryptedKeyWarnings(parseConfig(cloned)), ['agents[1] (mirror) sends $AWS_SECRET_ACCESS_KEY unencrypted to http://203.0.113.7:8000 (http, not https): anyone on the network between can read the key']);
  const file = join(dir, 'session.json');
  writeFileSync(file, JSON.stringify(cloned));
  const env = { OPENAI_API_KEY: 'a', AWS_SECRET_ACCESS_KEY: 'b', LOCAL_KEY: 'c' };
  Object.assign(process.env, env);
  try {
    const session = await openSession(file, {}, () => undefined);
    assert.equal(session.warnings.length, 1);
    assert.match(session.warnings[0]!, /^agents\[1\] \(mirror\) sends \$AWS_SECRET_ACCESS_KEY unencrypted/);
  } finally {
    for (const name of Object.keys(env)) delete process.env[name];
  }
});
