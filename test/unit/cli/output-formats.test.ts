import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSim, type SimServer } from '../../../src/sim';
import { preferenceProblems, sftProblems } from '../../helpers/fine-tuning-formats';

/**
 * `toa run` end to end on the simulator, one input row per shape the reader accepts; the SFT
 * and preference outputs are checked against the fine-tuning formats (test/helpers), and each
 * row's conversation against the input's: the rows hold the user's conversation, never our
 * refine or aggregate prompts or an agent's system prompt.
 */

const MAIN = join(__dirname, '../../../src/cli/main.ts');

interface Message {
  role: string;
  content: string;
  weight?: number;
}

let sim: SimServer;
let dir: string;

before(async () => {
  sim = await startSim({ port: 0, seed: 1, latencyMs: 5 });
  dir = await mkdtemp(join(tmpdir(), 'toa-formats-'));
});

after(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function toa(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stderr };
}

/** A config on the simulator; every agent has a system prompt of its own, which must stay out of the rows. */
async function writeConfig(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const agent = (model: string): Record<string, unknown> => ({ name: model, baseURL: `${sim.url}/v1`, model, systemPrompt: `AGENT-SYSTEM-PROMPT of ${model}` });
  const config = {
    agents: [agent('sim-large'), agent('sim-refiner'), agent('sim-small')],
    reward: { type: 'vllm', baseURL: sim.url, model: 'sim-reward' },
    search: { budget: 9, seed: 3 },
    output: { sft: `${name}/sft.jsonl`, preference: `${name}/preference.jsonl`, trace: `${name}/traces.jsonl` },
    ...extra,
  };
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(config));
  return path;
}

const system = (content: string): Message => ({ role: 'system', content });
const user = (content: string): Message => ({ role: 'user', content });
const assistant = (content: string): Message => ({ role: 'assistant', content });

/** Each input shape, and the conversation its rows must hold. */
const SHAPES: Array<{ shape: string; row: Record<string, unknown>; conversation: Message[] }> = [
  { shape: 'prompt string', row: { id: 'str', prompt: 'Name three uses of a hash map.' }, conversation: [user('Name three uses of a hash map.')] },
  {
    shape: 'prompt as chat messages (TRL prompt-only), with a system message',
    row: { id: 'chat', prompt: [system('You answer in one sentence.'), user('Why is the sky blue?')] },
    conversation: [system('You answer in one sentence.'), user('Why is the sky blue?')],
  },
  {
    shape: 'messages: multi-turn, a system message and an earlier assistant turn',
    row: { id: 'multi', messages: [system('You are a chess coach.'), user('What is castling?'), assistant('A king and rook move together.'), user('When is it not allowed?')] },
    conversation: [system('You are a chess coach.'), user('What is castling?'), assistant('A king and rook move together.'), user('When is it not allowed?')],
  },
  {
    shape: 'Alpaca instruction + input',
    row: { id: 'alpaca', instruction: 'Rewrite in the passive voice.', input: 'The committee approved the budget.', output: 'an old answer, not ours' },
    conversation: [user('Rewrite in the passive voice.\n\nThe committee approved the budget.')],
  },
  {
    shape: "LLaMA-Factory's Alpaca: system and history",
    row: { id: 'alpaca-lf', instruction: 'And in German?', input: 'cat', system: 'You translate.', history: [['Translate to French: cat', 'chat']], output: 'Katze' },
    conversation: [system('You translate.'), user('Translate to French: cat'), assistant('chat'), user('And in German?\n\ncat')],
  },
  {
    shape: 'non-ASCII: CJK, emoji, right-to-left, a line separator',
    row: { id: 7, prompt: '用一句话解释递归 🌀 — اشرح\u2028ok' },
    conversation: [user('用一句话解释递归 🌀 — اشرح\u2028ok')],
  },
  { shape: 'no id, with a reference', row: { prompt: 'What is 6 x 7?', reference: '42' }, conversation: [user('What is 6 x 7?')] },
];

/** The role and content of each message: what the conversation is, whatever else a row adds. */
const turns = (messages: Message[]): Message[] => messages.map(({ role, content }) => ({ role, content }));

for (const strategy of ['toa', 'moa'] as const) {
  test(`toa run (${strategy}): every SFT row and pair conforms, and holds the input's conversation`, async () => {
    const input = join(dir, `${strategy}.jsonl`);
    await writeFile(input, SHAPES.map((s) => JSON.stringify(s.row)).join('\n') + '\n');
    const result = await toa(['run', '--config', await writeConfig(strategy), '--input', input, '--strategy', strategy, '--quiet']);
    assert.equal(result.code, 0, result.stderr);

    const sftText = await readFile(join(dir, strategy, 'sft.jsonl'), 'utf8');
    const pairText = await readFile(join(dir, strategy, 'preference.jsonl'), 'utf8');
    assert.deepEqual(sftProblems(sftText), []);
    assert.deepEqual(preferenceProblems(pairText), []);
    assert.doesNotMatch(sftText + pairText, /AGENT-SYSTEM-PROMPT/, "an agent's system prompt is not the user's conversation");

    const sft = sftText.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { messages: Message[] });
    assert.equal(sft.length, SHAPES.length, 'the CLI accepts every best answer');
    for (const { shape, conversation } of SHAPES) {
      const row = sft.find((r) => JSON.stringify(turns(r.messages.slice(0, -1))) === JSON.stringify(conversation));
      assert.ok(row, `an SFT row continues the conversation of: ${shape}`);
    }
    const pairs = pairText.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { prompt: Message[] });
    assert.ok(pairs.length >= 1, 'some pairs');
    for (const pair of pairs) {
      assert.ok(
        SHAPES.some((s) => JSON.stringify(pair.prompt) === JSON.stringify(s.conversation)),
        `a pair's prompt is a whole input conversation, as it was: ${JSON.stringify(pair.prompt)}`,
      );
    }
  });
}

test('toa run refuses, before any call, rows whose SFT row could not be valid: an empty message, half a surrogate pair', async () => {
  const input = join(dir, 'unusable.jsonl');
  const rows = [{ messages: [user('Why?'), assistant(''), user('Why is the sky blue?')] }, { prompt: 'a cut emoji \ud83d' }, { prompt: 'fine' }];
  await writeFile(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const before = sim.counters().chatRequests;
  const result = await toa(['run', '--config', await writeConfig('unusable'), '--input', input, '--quiet']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /unusable\.jsonl:1: messages\[1\]\.content: must not be empty/);
  assert.match(result.stderr, /unusable\.jsonl:2: prompt: has \\ud83d, half of a surrogate pair/);
  assert.equal(sim.counters().chatRequests, before, 'nothing sent');
});
