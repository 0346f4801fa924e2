import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/load';
import { Curator } from '../../../src/core/curation';
import { createModels } from '../../../src/core/models';
import { runPrompts } from '../../../src/core/run/scheduler';
import { preferenceProblems, sftProblems } from '../../helpers/fine-tuning-formats';
import { completionBody, FakeClock, sendJson, startServer } from '../agents/helpers';
import { makeRows } from './fakes';

test('answers from a server that cuts an emoji in two ("\\ud83d") are written to the SFT and preference rows as text a trainer can read', async () => {
  // Every answer holds half of a surrogate pair, a different one per call, so the pair's sides differ.
  let call = 0;
  const agents = await startServer((_req, res) => sendJson(res, 200, completionBody(`Answer ${++call} \ud83d, and a whole one \ud83d\ude00.`)));
  const judge = await startServer((_req, res, body) => sendJson(res, 200, completionBody(`Score: ${/Answer (\d+)/.exec(body)?.[1] ?? 1}`)));
  try {
    const config = parseConfig({
      agents: ['alpha', 'beta'].map((name) => ({ name, baseURL: `${agents.url}/v1`, model: name, stream: false, maxRetries: 0 })),
      reward: { type: 'judge', baseURL: `${judge.url}/v1`, model: 'judge', min: 0, max: 100 },
      search: { strategy: 'toa', budget: 4, seed: 1 },
      output: { preferenceMargin: 0 },
    });
    const models = createModels(config, { apiKeyFor: () => undefined, rewardKey: () => undefined, clock: new FakeClock() });
    const sft: string[] = [];
    const preference: string[] = [];
    const trace: string[] = [];
    const sink = (lines: string[]) => ({ append: async (more: string[]) => void lines.push(...more) });
    const curator = new Curator({ sft: sink(sft), preference: sink(preference), trace: sink(trace) }, config.output, { kind: 'all' });
    const summary = await runPrompts({
      config,
      rows: makeRows(2),
      ...models,
      signal: new AbortController().signal,
      onEvent: () => undefined,
      onTree: async (tree, row, info) => void (await curator.recordTree(tree, row, info)),
      clock: new FakeClock(),
    });
    assert.equal(summary.totals.done, 2);
    assert.equal(sft.length, 2);
    assert.equal(preference.length, 2);
    assert.deepEqual(sftProblems(sft.map((line) => `${line}\n`).join('')), []);
    assert.deepEqual(preferenceProblems(preference.map((line) => `${line}\n`).join('')), []);
    // The half is U+FFFD, as a UTF-8 encoder writes it; the whole emoji stays.
    const answer = (JSON.parse(sft[0]!) as { messages: Array<{ content: string }> }).messages.at(-1)!.content;
    assert.match(answer, /^Answer \d+ \uFFFD, and a whole one \u{1F600}\.$/u);
    assert.ok(!trace.join('\n').includes('\\ud83d'), 'the trace holds no lone surrogate either');
  } finally {
    await agents.close();
    await judge.close();
  }
});
