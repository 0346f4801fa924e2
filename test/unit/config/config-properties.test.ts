import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseConfig, parseConfigText, resolveConfigSearch, ValidationError } from '../../../src/core/config';
import { configJsonSchema } from '../../../src/core/config/json-schema';
import { propertyRuns } from '../property-runs';
import { schemaMismatches } from './schema-shape';

/**
 * Config parsing over arbitrary input: anything parses or fails with problems that each name a
 * field (the root's is ''), never with another error; and every config the zod schema accepts,
 * the published JSON Schema (the editor's IntelliSense) accepts as well, before and after the
 * defaults are filled in.
 */

const RUNS = propertyRuns(31_337, 150);

function problemsOf(run: () => unknown): ValidationError['problems'] | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ValidationError, `not a ValidationError: ${(error as Error)?.stack ?? String(error)}`);
    assert.ok(error.problems.length > 0, 'a ValidationError with no problem');
    for (const p of error.problems) {
      assert.equal(typeof p.path, 'string');
      assert.ok(typeof p.message === 'string' && p.message.length > 0, `problem at ${p.path} without a message`);
      assert.ok(!/\[object Object\]|undefined$/.test(p.message), `problem at ${p.path}: ${p.message}`);
    }
    return error.problems;
  }
}

// A valid agent name: letters, digits, _ . or -, with a letter or digit among them.
const name = fc.stringMatching(/^[\w.-]{0,6}[A-Za-z0-9][\w.-]{0,5}$/);
// A model name is any text that is not blank.
const model = fc.string({ minLength: 1, maxLength: 10 }).filter((s) => /\S/.test(s));
const url = fc.constantFrom('http://127.0.0.1:8000/v1', 'https://api.example.com/v1', 'http://[::1]:9/', 'https://h.example/a?b=c#d');

const agentFields = fc.record(
  {
    baseURL: url,
    model,
    apiKeyEnv: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true })),
    top_p: fc.option(fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true })),
    max_tokens: fc.integer({ min: 1, max: 1e6 }),
    extraBody: fc.dictionary(fc.constantFrom('seed', 'reasoning_effort', 'chat_template_kwargs', 'provider', 'top_k'), fc.jsonValue(), { maxKeys: 3 }),
    systemPrompt: fc.string({ maxLength: 20 }),
    maxConcurrency: fc.integer({ min: 1, max: 64 }),
    requestsPerMinute: fc.double({ min: 0.001, max: 1e4, noNaN: true }),
    price: fc.record({ inputPerMillion: fc.double({ min: 0, max: 100, noNaN: true }), outputPerMillion: fc.double({ min: 0, max: 100, noNaN: true }) }, { requiredKeys: [] }),
    timeoutMs: fc.integer({ min: 1, max: 1e7 }),
    maxRetries: fc.integer({ min: 0, max: 10 }),
    stream: fc.boolean(),
    thinkTags: fc.boolean(),
  },
  { requiredKeys: ['baseURL', 'model'] },
);

const reward = fc.oneof(
  fc.record({ type: fc.constant('vllm'), baseURL: url, model, endpoint: fc.constant('pooling'), classIndex: fc.integer({ min: 0, max: 5 }), timeoutMs: fc.integer({ min: 1, max: 1e6 }) }, { requiredKeys: ['type', 'baseURL', 'model'] }),
  fc.record({ type: fc.constant('vllm'), baseURL: url, model, endpoint: fc.constant('classify'), activation: fc.boolean(), classIndex: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: ['type', 'baseURL', 'model'] }),
  fc.record({ type: fc.constant('http'), url, headers: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }), bodyTemplate: fc.constantFrom({ text: '{{response}}' }, ['{{prompt}}', { r: '{{response}}' }]), scorePath: fc.constantFrom('$.score', '$.data[0].score', 'score') }, { requiredKeys: ['type', 'url', 'scorePath'] }),
  fc.tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: 1, max: 10 })).chain(([min, span]) =>
    fc.record({ type: fc.constant('judge'), baseURL: url, model, min: fc.constant(min), max: fc.constant(min + span), temperature: fc.double({ min: 0, max: 2, noNaN: true }) }, { requiredKeys: ['type', 'baseURL', 'model', 'min', 'max'] }),
  ),
  fc.record({ type: fc.constant('reference'), check: fc.constantFrom('math', 'chrf') }),
  fc.record({ type: fc.constant('command'), command: fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }), timeoutMs: fc.integer({ min: 1, max: 1e6 }) }, { requiredKeys: ['type', 'command'] }),
);

const search = (names: string[]) =>
  fc.record(
    {
      strategy: fc.constantFrom('toa', 'best-of-n', 'prs', 'ensemble', 'sequential', 'moa'),
      budget: fc.integer({ min: 1, max: 500 }),
      tau: fc.double({ min: 1e-6, max: 100, noNaN: true }),
      alpha: fc.double({ min: 0, max: 10, noNaN: true }),
      width: fc.integer({ min: 1, max: 200 }),
      topk: fc.integer({ min: 1, max: 10 }),
      seed: fc.integer(),
      agent: fc.constantFrom(...names),
      moaLayers: fc.integer({ min: 1, max: 6 }),
    },
    { requiredKeys: [] },
  );

const output = fc.record(
  {
    sft: fc.constantFrom('data/sft.jsonl', 'out/a b/sft.jsonl', 'sft.jsonl'),
    trace: fc.constantFrom('t.jsonl', 'data/traces.jsonl'),
    preferenceRank: fc.integer({ min: 2, max: 50 }),
    autoAcceptAbove: fc.double({ min: -10, max: 10, noNaN: true }),
  },
  { requiredKeys: [] },
);

/** A config the schema's rules all accept (templates left to their own tests: they need placeholders). */
const validConfig = fc
  .uniqueArray(name, { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.record(
      {
        agents: fc.tuple(...names.map((n) => agentFields.map((fields) => ({ name: n, ...fields })))),
        reward,
        search: search(names),
        task: fc.record({ kind: fc.constantFrom('instruction', 'translation', 'math') }, { requiredKeys: [] }),
        input: fc.record({ promptField: fc.string({ minLength: 1, maxLength: 8 }), idField: fc.string({ minLength: 1, maxLength: 8 }), referenceField: fc.string({ minLength: 1, maxLength: 8 }) }, { requiredKeys: [] }),
        output,
        run: fc.record({ concurrency: fc.integer({ min: 1, max: 256 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['agents', 'reward'] },
    ),
  );

const schema = configJsonSchema();

describe('config properties', () => {
  test('any JSON value gives a config or problems that each name a field, never another error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => void problemsOf(() => parseConfig(raw, 'toa.config.json'))),
      RUNS,
    );
  });

  test('any value near a valid config (one field replaced by anything) gives a config or located problems', () => {
    const replaced = fc.tuple(validConfig, fc.nat(), fc.jsonValue()).map(([config, pick, value]) => {
      const sections = Object.keys(config) as Array<keyof typeof config>;
      const section = sections[pick % sections.length]!;
      const inner = config[section];
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner) || Object.keys(inner).length === 0) return { ...config, [section]: value };
      const keys = Object.keys(inner);
      return { ...config, [section]: { ...inner, [keys[pick % keys.length]!]: value } };
    });
    fc.assert(
      fc.property(replaced, (raw) => void problemsOf(() => parseConfig(raw))),
      RUNS,
    );
  });

  test('any text gives a config or problems, with the line of each syntax error', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.jsonValue().map((v) => JSON.stringify(v, null, 1)), validConfig.chain((c) => fc.nat().map((cut) => JSON.stringify(c, null, 2).slice(0, cut % 400))));
    fc.assert(
      fc.property(text, (raw) => {
        const problems = problemsOf(() => parseConfigText(raw, 'toa.config.json')) ?? [];
        const lines = raw.split('\n').length;
        for (const p of problems) if (p.line !== undefined) assert.ok(p.line >= 1 && p.line <= lines, `line ${p.line} of ${lines}`);
      }),
      RUNS,
    );
  });

  test('a valid config parses, fits the published JSON Schema before and after defaults, and parses to itself again', () => {
    fc.assert(
      fc.property(validConfig, (raw) => {
        assert.deepEqual(schemaMismatches(schema, raw), [], 'the input fits the schema');
        // As JSON (which writes -0 as 0): what a settings file holds.
        const config = JSON.parse(JSON.stringify(parseConfig(raw))) as unknown;
        assert.deepEqual(parseConfig(config), config);
        assert.deepEqual(schemaMismatches(schema, config), [], 'with defaults filled in');
      }),
      RUNS,
    );
  });

  test('TOA width is at least K, raised with a note when it was not', () => {
    fc.assert(
      fc.property(validConfig, (raw) => {
        const config = parseConfig(raw);
        const { params, notes } = resolveConfigSearch(config);
        const k = config.agents.length;
        assert.ok(params.width >= k);
        const asked = config.search.width ?? Math.max(1, Math.floor(config.search.budget / (config.task.kind === 'math' ? 2 : 3)));
        assert.equal(notes.some((n) => n.startsWith('search.width')), config.search.strategy === 'toa' && asked < k);
        assert.ok(params.agent >= 0 && params.agent < k);
      }),
      RUNS,
    );
  });
});
