import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { problemsOf } from './problems-of';
import { loadConfigFile, parseConfigBytes, ValidationError } from '../../../src/core/config';

const agent = { name: 'a', baseURL: 'http://127.0.0.1:8808/v1', model: 'sim-large' };
const reward = { type: 'reference', check: 'math' };

test('an unknown field close to a known one of the same object says which one was likely meant', () => {
  const problems = problemsOf({
    agents: [{ name: 'a', baseUrl: agent.baseURL, model: 'm', max_token: 100, apikeyEnv: 'KEY', temprature: 0.3, price: { inputPerMilion: 1 } }],
    reward: { type: 'judge', baseURL: agent.baseURL, model: 'm', Max: 5 },
    serch: { budget: 4 },
  });
  assert.deepEqual(problems, [
    'toa.config.json: agents[0].baseURL: is required',
    'toa.config.json: agents[0].price: unknown field "inputPerMilion" (did you mean "inputPerMillion"?)',
    'toa.config.json: agents[0]: unknown fields "baseUrl" (did you mean "baseURL"?), "max_token" (did you mean "max_tokens"?), "apikeyEnv" (did you mean "apiKeyEnv"?), "temprature" (did you mean "temperature"?)',
    'toa.config.json: reward: unknown field "Max" (did you mean "max"?)',
    'toa.config.json: unknown field "serch" (did you mean "search"?)',
  ]);
});

test("the reward's fields are those of its type; a field the object has, or one too far off, is not offered", () => {
  assert.deepEqual(problemsOf({ agents: [agent], reward: { type: 'reference', chek: 'math' } }), ['toa.config.json: reward.check: is required: one of "math", "chrf"', 'toa.config.json: reward: unknown field "chek" (did you mean "check"?)']);
  // vllm has no `check`: nothing to offer. `baseURL` is set already: `baseurl` is a second one, not a misspelling.
  assert.deepEqual(problemsOf({ agents: [agent], reward: { type: 'vllm', baseURL: agent.baseURL, baseurl: agent.baseURL, model: 'rm', chek: 'math' } }), ['toa.config.json: reward: unknown fields "baseurl", "chek"']);
  assert.deepEqual(problemsOf({ agents: [{ ...agent, colour: 'red', budget: 3 }], reward }), ['toa.config.json: agents[0]: unknown fields "colour", "budget"']);
  // Short names take one edit only (`tua` is `tau` with two letters swapped): two would make `tx` of `tau`, or `min` of `max`.
  assert.deepEqual(problemsOf({ agents: [agent], reward, search: { tua: 1, tx: 2 } }), ['toa.config.json: search: unknown fields "tua" (did you mean "tau"?), "tx"']);
});

test('a request field the schema does not name, on an agent or a judge, goes in extraBody rather than being read as a misspelling', () => {
  assert.deepEqual(problemsOf({ agents: [{ ...agent, top_k: 20, seed: 7 }], reward }), ['toa.config.json: agents[0]: unknown fields "top_k" (a request field: set it in extraBody), "seed" (a request field: set it in extraBody)']);
  assert.deepEqual(problemsOf({ agents: [agent], reward, search: { top_k: 2 } }), ['toa.config.json: search: unknown field "top_k" (did you mean "topk"?)'], 'search has no extraBody');
});

test('a reward type that names a reference check, or the task it scores, says how to ask for that check', () => {
  const types = '"vllm", "http", "judge", "reference", "command"';
  for (const [type, check] of [['math', 'math'], ['chrf', 'chrf'], ['chrF', 'chrf'], ['translation', 'chrf']]) {
    assert.deepEqual(problemsOf({ agents: [agent], reward: { type } }), [`toa.config.json: reward.type: must be one of ${types}; to score answers against each row's reference, use {"type": "reference", "check": "${check}"}`], type);
  }
  assert.deepEqual(problemsOf({ agents: [agent], reward: { type: 'bleu' } }), [`toa.config.json: reward.type: must be one of ${types}`]);
});

test('a config file that cannot be read says why in words; a missing one, what to do when the caller says', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'toa-config-file-'));
  const missing = join(dir, 'none.json');
  await assert.rejects(loadConfigFile(missing), (error: unknown) => error instanceof ValidationError && error.message === `${missing}: no such file`);
  await assert.rejects(loadConfigFile(missing, { ifMissing: 'write one' }), (error: unknown) => error instanceof ValidationError && error.message === `${missing}: no such file; write one`);
  await assert.rejects(loadConfigFile(dir, { ifMissing: 'write one' }), (error: unknown) => error instanceof ValidationError && error.message === `${dir}: is a folder`);
  const file = join(dir, 'toa.config.json');
  await writeFile(file, JSON.stringify({ agents: [agent], reward }));
  assert.equal((await loadConfigFile(file)).agents.length, 1);
});

test('a config file that is not UTF-8 is refused at its line, not read with its bytes replaced or as a syntax error per character', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'toa-config-encoding-'));
  const text = JSON.stringify({ agents: [agent], reward, task: { kind: 'instruction' } }, null, 2);
  const refused = async (name: string, bytes: Buffer): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, bytes);
    const error = await loadConfigFile(file).then(() => assert.fail(`${name} was accepted`), (e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    return error.message.replace(`${file}:`, `${name}:`);
  };
  // Windows PowerShell's `>` writes UTF-16 with a byte order mark.
  assert.equal(await refused('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), 'utf16.json:1: is not valid UTF-8 text: save it as UTF-8');
  const kindLine = text.split('\n').findIndex((line) => line.includes('"instruction"')) + 1;
  assert.equal(await refused('latin1.json', Buffer.from(text.replace('"instruction"', '"instrucción"'), 'latin1')), `latin1.json:${kindLine}: is not valid UTF-8 text: save it as UTF-8`);
  // The extension reads the file's bytes itself and parses them the same way.
  const latin1 = Buffer.from(text.replace('"instruction"', '"instrucción"'), 'latin1');
  assert.throws(() => parseConfigBytes(latin1, 'toa.config.json'), { message: `toa.config.json:${kindLine}: is not valid UTF-8 text: save it as UTF-8` });
  assert.equal(parseConfigBytes(Buffer.from(`\uFEFF${text}`), 'toa.config.json').agents.length, 1);
  const bom = join(dir, 'bom.json');
  await writeFile(bom, `\uFEFF${text}`);
  assert.equal((await loadConfigFile(bom)).agents.length, 1, 'a UTF-8 byte order mark is no fault');
});
