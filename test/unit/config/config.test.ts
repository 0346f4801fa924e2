import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsOf, problemsOfText } from './problems-of';
import { configJsonSchema } from '../../../src/core/config/json-schema';
import { parseConfig, parseConfigText, resolveConfigSearch, runConcurrencyOf, searchNotes, ValidationError } from '../../../src/core/config';

const agent = (name: string): Record<string, unknown> => ({ name, baseURL: 'http://127.0.0.1:8808/v1', model: 'sim-large' });
const minimal = { agents: [agent('a'), agent('b')], reward: { type: 'reference', check: 'math' } };

test('a minimal config gets every default', () => {
  const config = parseConfig(minimal);
  assert.equal(config.search.strategy, 'toa');
  assert.equal(config.search.budget, 40);
  assert.equal(config.agents[0]!.temperature, 0.7);
  assert.equal(config.agents[0]!.top_p, 1);
  assert.equal(config.agents[0]!.max_tokens, 2048);
  assert.equal(config.output.sft, 'data/sft.jsonl');
  assert.equal(config.run.concurrency, undefined, 'unset: a note about it is for a config that sets it');
  assert.equal(runConcurrencyOf(config), 32);
});

test('an input field named "" is refused in the config, not on every row of the input', () => {
  assert.deepEqual(problemsOf({ ...minimal, input: { promptField: '', idField: '', referenceField: '' } }), [
    'toa.config.json: input.promptField: must not be empty',
    'toa.config.json: input.idField: must not be empty',
    'toa.config.json: input.referenceField: must not be empty',
  ]);
});

test('every problem is reported with file and field path, all at once', () => {
  const problems = problemsOf({
    agents: [agent('a'), agent('b'), { ...agent('c'), baseURL: 'not a url', temperature: 5 }],
    reward: { type: 'vllm', baseURL: 'http://x' },
    search: { strategy: 'mcts', extra: 1 },
  });
  assert.deepEqual(problems.sort(), [
    'toa.config.json: agents[2].baseURL: must be an http:// or https:// URL',
    'toa.config.json: agents[2].temperature: must be at most 2',
    'toa.config.json: reward.model: is required',
    'toa.config.json: search.strategy: must be one of "toa", "best-of-n", "prs", "ensemble", "sequential", "moa"',
    'toa.config.json: search: unknown field "extra"',
  ]);
});

test('a URL may not carry a user name or password: messages and logs show URLs', () => {
  const problems = problemsOf({
    agents: [{ ...agent('a'), baseURL: 'https://user:pa55@api.example.com/v1' }, { ...agent('b'), baseURL: 'https://token@api.example.com/v1' }],
    reward: { type: 'http', url: 'https://:pw@scorer.example/score', scorePath: '$.score' },
  });
  const advice = 'must not hold a user name or password (user:password@): they would show in messages and logs; give the key with apiKeyEnv (CLI) or Set API Key... (VS Code)';
  assert.deepEqual(problems.sort(), [`toa.config.json: agents[0].baseURL: ${advice}`, `toa.config.json: agents[1].baseURL: ${advice}`, `toa.config.json: reward.url: ${advice}`]);
});

test("problems are worded for the file's reader, not in the schema library's terms", () => {
  const problems = problemsOf({
    agents: [{ ...agent('a'), maxConcurrency: 0, max_tokens: 1.5, top_p: -1 }],
    reward: { type: 'nope' },
    search: { tau: 'small' },
  });
  assert.deepEqual(problems.sort(), [
    'toa.config.json: agents[0].maxConcurrency: must be greater than 0',
    'toa.config.json: agents[0].max_tokens: must be a whole number',
    'toa.config.json: agents[0].top_p: must be greater than 0',
    'toa.config.json: reward.type: must be one of "vllm", "http", "judge", "reference", "command"',
    'toa.config.json: search.tau: must be a number, not text',
  ]);
  assert.deepEqual(problemsOf({ agents: [], reward: { type: 'reference', check: 'math' } }), ['toa.config.json: agents: needs at least 1 item']);
});

test('a choice left out is required, with its choices; a wrong one must be one of them', () => {
  assert.deepEqual(problemsOf({ agents: [agent('a')], reward: { type: 'reference' } }), ['toa.config.json: reward.check: is required: one of "math", "chrf"']);
  assert.deepEqual(problemsOf({ agents: [agent('a')], reward: { check: 'math' } }), ['toa.config.json: reward.type: is required: one of "vllm", "http", "judge", "reference", "command"']);
  assert.deepEqual(problemsOf({ agents: [agent('a')], reward: { type: 'reference', check: null } }), ['toa.config.json: reward.check: must be one of "math", "chrf"']);
  assert.deepEqual(problemsOf({ agents: [agent('a')], reward: { type: 'reference', check: 'exact' } }), ['toa.config.json: reward.check: must be one of "math", "chrf"']);
});

test('a blank model name is a problem: every call to the endpoint would fail', () => {
  assert.deepEqual(problemsOf({ agents: [{ ...agent('a'), model: ' ' }, { ...agent('b'), model: '' }], reward: { type: 'judge', baseURL: 'http://127.0.0.1:9/v1', model: '\t', min: 1, max: 10 } }).sort(), [
    'toa.config.json: agents[0].model: must not be blank',
    'toa.config.json: agents[1].model: must not be blank',
    'toa.config.json: reward.model: must not be blank',
  ]);
});

test('cross-field rules: duplicate agent names and an unknown single agent', () => {
  const problems = problemsOf({ ...minimal, agents: [agent('a'), agent('a')], search: { agent: 'zed' } });
  assert.deepEqual(problems, [
    'toa.config.json: agents[1].name: duplicate agent name "a" (also agents[0])',
    'toa.config.json: search.agent: no agent named "zed" (agents: a)',
  ]);
});

test('an agent name needs a letter or digit: ".", ".." or "-" alone would read as a folder or a blank in the statistics', () => {
  const names = ['.', '..', '-', '_.'];
  assert.deepEqual(problemsOf({ ...minimal, agents: names.map(agent) }), names.map((_, i) => `toa.config.json: agents[${i}].name: must contain a letter or digit, not only . _ or -`));
  assert.deepEqual(problemsOf({ ...minimal, agents: [agent('a/b')] }), ['toa.config.json: agents[0].name: must be letters, digits, _ . or -']);
  const valid = ['a', '7', 'gpt-4o-mini', 'Qwen2.5-7B-Instruct', '_x', '.hidden', 'llama3.1_8b'];
  assert.deepEqual(parseConfig({ ...minimal, agents: valid.map(agent) }).agents.map((a) => a.name), valid);
});

test('activation on a vLLM /pooling reward is a problem, not silently ignored; classIndex picks a value of its rows', () => {
  const reward = { type: 'vllm', baseURL: 'http://127.0.0.1:8001', model: 'prm', endpoint: 'pooling', activation: false, classIndex: 1 };
  assert.deepEqual(problemsOf({ ...minimal, reward }), ['toa.config.json: reward.activation: applies to "endpoint": "classify" only']);
  assert.equal(parseConfig({ ...minimal, reward: { ...reward, endpoint: 'classify' } }).reward.type, 'vllm');
  const { activation: _, ...pooling } = reward;
  assert.deepEqual(parseConfig({ ...minimal, reward: pooling }).reward, { ...pooling, timeoutMs: 60_000 });
});

test('a schema error elsewhere does not hide a duplicate agent name', () => {
  const problems = problemsOf({ ...minimal, agents: [agent('a'), { ...agent('a'), baseURL: 'ftp://x' }] });
  assert.ok(problems.some((p) => p.includes('agents[1].baseURL')), problems.join('\n'));
  assert.ok(problems.includes('toa.config.json: agents[1].name: duplicate agent name "a" (also agents[0])'), problems.join('\n'));
});

test('a preference pair takes a rank or a margin, not both', () => {
  assert.deepEqual(problemsOf({ ...minimal, output: { preferenceRank: 3, preferenceMargin: 0.1 } }), [
    'toa.config.json: output.preferenceMargin: set either output.preferenceRank or output.preferenceMargin, not both',
  ]);
  assert.equal(parseConfig({ ...minimal, output: { preferenceMargin: 0.1 } }).output.preferenceMargin, 0.1);
});

test('an output path holding ~ or an environment variable is refused at its field: nothing expands them', () => {
  const fix = "which is not expanded here: write the path out in full, or relative to the config file's folder (in VS Code, the workspace folder)";
  assert.deepEqual(problemsOf({ ...minimal, output: { sft: '~/data/sft.jsonl', preference: '$HOME/data/p.jsonl', trace: '${HOME}/t.jsonl' } }), [
    `toa.config.json: output.sft: starts with ~, ${fix}`,
    `toa.config.json: output.preference: holds the environment variable $HOME, ${fix}`,
    `toa.config.json: output.trace: holds the environment variable \${HOME}, ${fix}`,
  ]);
  assert.deepEqual(problemsOf({ ...minimal, output: { sft: '%USERPROFILE%\\data\\sft.jsonl', trace: '~alice/t.jsonl', preference: 'data/$RUN/p.jsonl' } }), [
    `toa.config.json: output.sft: holds the environment variable %USERPROFILE%, ${fix}`,
    `toa.config.json: output.preference: holds the environment variable $RUN, ${fix}`,
    `toa.config.json: output.trace: starts with ~, ${fix}`,
  ]);
  // A ~ inside a name, or a $ or % before no name, is part of the file's name.
  const kept = { sft: 'C:\\PROGRA~1\\toa\\sft.jsonl', preference: 'data/price$5~.jsonl', trace: 'data/100%/~t.jsonl' };
  assert.deepEqual(parseConfig({ ...minimal, output: kept }).output, { ...parseConfig(minimal).output, ...kept });
});

test('JSON syntax errors name the line and column', () => {
  assert.throws(() => parseConfigText('{\n  "agents": [,]\n}', 'cfg.json'), /cfg\.json:2: invalid JSON: expected a value at column 14/);
  assert.throws(() => parseConfigText('{\n  "agents": []\n', 'cfg.json'), { message: "cfg.json:3: invalid JSON: expected '}' at the end of the file" });
  // A file cut off inside an object: one problem, not the parser's three guesses at one spot.
  assert.throws(() => parseConfigText('{\n  "agents": [\n    {"name": "a", "model": "m", }\n  ],\n', 'cfg.json'), { message: "cfg.json:5: invalid JSON: expected '}' at the end of the file" });
});

test('problems in a config file name the line of their field, or of the nearest one the file has', () => {
  const text = [
    '{',
    '  // a comment keeps its line',
    '  "agents": [',
    '    { "name": "a", "baseURL": "http://127.0.0.1:8808/v1", "model": "m" },',
    '    {',
    '      "name": "b",',
    '      "baseURL": "127.0.0.1:8808/v1",',
    '      "modle": "m"',
    '    }',
    '  ],',
    '  "reward": { "type": "reference", "check": "math" },',
    '  "search": {',
    '    "budgett": 10',
    '  }',
    '}',
  ].join('\n');
  assert.throws(() => parseConfigText(text, 'cfg.json'), (error: unknown) => {
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(error.message.split('\n'), [
      'cfg.json:7: agents[1].baseURL: must be an http:// or https:// URL',
      'cfg.json:5: agents[1].model: is required',
      'cfg.json:8: agents[1]: unknown field "modle" (did you mean "model"?)',
      'cfg.json:13: search: unknown field "budgett" (did you mean "budget"?)',
    ]);
    return true;
  });
  const rules = '{\n  "agents": [\n    { "name": "a", "baseURL": "http://x/v1", "model": "m" }\n  ],\n  "reward": { "type": "reference", "check": "math" },\n  "search": { "agent": "zed" }\n}';
  assert.throws(() => parseConfigText(rules, 'cfg.json'), / cfg\.json:6: search\.agent: no agent named "zed"/);
});

test('a field missing from the top level is at the line of the whole config\'s {, as a nested one is at its object\'s', () => {
  const linesOf = (text: string): string[] => problemsOfText(text, 'cfg.json');
  assert.deepEqual(linesOf('{}'), ['cfg.json:1: agents: is required', 'cfg.json:1: reward: is required']);
  assert.deepEqual(linesOf('// the demo config\n\n{\n  "reward": { "type": "reference", "check": "math" }\n}'), ['cfg.json:3: agents: is required']);
  // Not an object at all: the problem is the whole value, at its line.
  assert.deepEqual(linesOf('\n[]'), ['cfg.json:2: must be an object, not array']);
});

test('comments and trailing commas are accepted, as in VS Code settings files', () => {
  const text = '{\n  // two agents\n  "agents": [' + JSON.stringify(minimal.agents[0]) + ', ' + JSON.stringify(minimal.agents[1]) + ',],\n  "reward": ' + JSON.stringify(minimal.reward) + ',\n}';
  assert.equal(parseConfigText(text, 'cfg.json').agents.length, 2);
});

test('a byte-order mark before the JSON is accepted', () => {
  assert.equal(parseConfigText(`\uFEFF${JSON.stringify(minimal)}`, 'cfg.json').agents.length, 2);
  assert.throws(() => parseConfigText('\uFEFF{\n  "agents": [,]\n}', 'cfg.json'), /cfg\.json:2: invalid JSON: expected a value at column 14/);
});

test('templates without their placeholders and a score path that does not parse are config problems, all at once', () => {
  const problems = problemsOf({
    ...minimal,
    reward: { type: 'http', url: 'http://127.0.0.1:9/score', scorePath: 'data..[x' },
    task: { kind: 'instruction', templates: { refine: 'no placeholders', aggregate: 'Combine {{responses}} for {{prompt}}' } },
  });
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /^toa\.config\.json: task\.templates\.refine: must contain \{\{prompt\}\} and \{\{response\}\}$/);
  assert.match(problems[1]!, /^toa\.config\.json: reward\.scorePath: /);
  const judge = problemsOf({ ...minimal, reward: { type: 'judge', baseURL: 'http://127.0.0.1:9/v1', model: 'j', template: 'Rate this: {{prompt}}' } });
  assert.deepEqual(judge, ['toa.config.json: reward.template: must contain {{response}}']);
  const templates = problemsOf({ ...minimal, task: { templates: { aggregate: 'Merge {{response}} for {{prompt}}', judge: 'Rate it' } } });
  assert.deepEqual(templates, ['toa.config.json: task.templates.aggregate: must contain {{responses}}', 'toa.config.json: task.templates.judge: must contain {{prompt}} and {{response}}']);
});

test('an HTTP reward body with a misspelt placeholder, or without {{response}}, is a config problem', () => {
  const http = (bodyTemplate: unknown): Record<string, unknown> => ({ ...minimal, reward: { type: 'http', url: 'http://127.0.0.1:9/score', scorePath: '$.score', bodyTemplate } });
  assert.deepEqual(problemsOf(http({ input: { text: '{{prompt}}', answer: '{{respone}}' } })), [
    'toa.config.json: reward.bodyTemplate.input.answer: unknown placeholder {{respone}} (use {{prompt}}, {{response}}, {{reference}}, {{messages}})',
    'toa.config.json: reward.bodyTemplate: must contain {{response}} in a value: without it every answer gets the same score',
  ]);
  assert.deepEqual(problemsOf(http({ pairs: [['{{prompt}}', '{{reference}}']] })), ['toa.config.json: reward.bodyTemplate: must contain {{response}} in a value: without it every answer gets the same score']);
  assert.equal(parseConfig(http({ messages: '{{messages}}', text: 'Q: {{prompt}} A: {{response}}', ref: '{{reference}}' })).reward.type, 'http');
  assert.equal(parseConfig(http(undefined)).reward.type, 'http', 'the default body sends the response');
});

test('per-task search defaults follow the spec table', () => {
  const instruction = resolveConfigSearch(parseConfig({ ...minimal, search: { budget: 160 } })).params;
  assert.deepEqual([instruction.tau, instruction.alpha, instruction.width, instruction.topk, instruction.moaLayers], [0.1, 0.01, 53, 1, 4]);
  const translation = resolveConfigSearch(parseConfig({ ...minimal, task: { kind: 'translation' }, search: { budget: 160 } })).params;
  assert.deepEqual([translation.tau, translation.alpha, translation.width, translation.moaLayers], [1, 0.05, 53, 3]);
  const math = resolveConfigSearch(parseConfig({ ...minimal, task: { kind: 'math' }, search: { budget: 160 } })).params;
  assert.deepEqual([math.tau, math.alpha, math.width, math.moaLayers], [1, 0.1, 80, 4]);
});

test('with a judge as reward, tau defaults to its score range (the task tau would saturate every value)', () => {
  const judge = { type: 'judge', baseURL: 'http://127.0.0.1:9/v1', model: 'j' };
  const byRange = resolveConfigSearch(parseConfig({ ...minimal, reward: judge }));
  assert.equal(byRange.params.tau, 9);
  assert.match(byRange.notes.join('\n'), /search\.tau: 9, the judge's score range \(1 to 10\)/);
  assert.equal(resolveConfigSearch(parseConfig({ ...minimal, reward: { ...judge, min: 0, max: 5 } })).params.tau, 5);
  const chosen = resolveConfigSearch(parseConfig({ ...minimal, reward: judge, search: { tau: 2 } }));
  assert.deepEqual([chosen.params.tau, chosen.notes], [2, []]);
  assert.deepEqual(problemsOf({ ...minimal, reward: { ...judge, min: 5, max: 5 } }), ['toa.config.json: reward.max: must be greater than reward.min (5)']);
});

test('width below K is raised to K, and the note says so', () => {
  const small = resolveConfigSearch(parseConfig({ ...minimal, search: { budget: 9 } }));
  assert.equal(small.params.width, 3);
  assert.equal(small.notes.length, 0);
  const three = parseConfig({ ...minimal, agents: [agent('a'), agent('b'), agent('c')], search: { width: 2 } });
  const resolved = resolveConfigSearch(three);
  assert.equal(resolved.params.width, 3);
  assert.match(resolved.notes[0]!, /search\.width: raised from 2 to 3/);
  // The baselines do not use width (nor tau): no note for them.
  const moa = resolveConfigSearch(parseConfig({ ...minimal, agents: [agent('a'), agent('b'), agent('c')], search: { width: 2, strategy: 'moa' } }));
  assert.deepEqual(moa.notes, []);
});

test('a budget below K * L plays cuts MoA short, and the note says how', () => {
  const five = ['a', 'b', 'c', 'd', 'e'].map(agent);
  const moa = (budget: number, extra: Record<string, unknown> = {}) => parseConfig({ ...minimal, agents: five, search: { budget, strategy: 'moa', ...extra } });
  assert.deepEqual(resolveConfigSearch(moa(10)).notes, ["search.budget: 10 is too small for MoA's 4 layers with 5 agents (20 plays): it runs 1 repeat of 2 layers"]);
  assert.deepEqual(resolveConfigSearch(moa(12)).notes, ["search.budget: 12 is too small for MoA's 4 layers with 5 agents (20 plays): it runs 1 repeat of 3 layers, the last with 2 of the 5 agents"]);
  assert.deepEqual(resolveConfigSearch(moa(3, { moaLayers: 2 })).notes, ["search.budget: 3 is too small for MoA's 2 layers with 5 agents (10 plays): it runs 1 repeat of 1 layer, the last with 3 of the 5 agents"]);
  assert.deepEqual(resolveConfigSearch(moa(20)).notes, [], 'one whole repeat');
  assert.deepEqual(resolveConfigSearch(moa(30)).notes, [], 'a whole repeat, then a shorter one');
  // MoA's layers concern MoA alone; a comparison hears each strategy's notes.
  const toa = parseConfig({ ...minimal, agents: five, search: { budget: 10, width: 2 } });
  assert.deepEqual(resolveConfigSearch(toa).notes, ['search.width: raised from 2 to 5 (the number of agents); a smaller width would leave agents untried']);
  assert.deepEqual(searchNotes(toa, ['toa', 'best-of-n', 'moa']), [...resolveConfigSearch(toa).notes, resolveConfigSearch(moa(10)).notes[0]]);
  assert.deepEqual(searchNotes(moa(10)), resolveConfigSearch(moa(10)).notes, "by default the config's strategy");
});

test('the published JSON Schema describes the same fields', () => {
  const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }>; required: string[] };
  assert.deepEqual(schema.required.sort(), ['agents', 'reward']);
  assert.ok(schema.properties.search?.properties?.tau);
  assert.ok(schema.properties.output?.properties?.autoAcceptAbove);
});

test('request fields: temperature and top_p may be null (none sent), and extraBody is a JSON object of fields the run does not set itself', () => {
  const config = parseConfig({
    agents: [{ ...agent('a'), temperature: null, top_p: null, max_completion_tokens: 8192, extraBody: { reasoning_effort: 'low', chat_template_kwargs: { enable_thinking: false } } }],
    reward: { type: 'judge', baseURL: 'https://api.openai.com/v1', model: 'gpt-5-mini', temperature: null, extraBody: { top_p: 0.9, seed: 1 } },
  });
  assert.deepEqual([config.agents[0]!.temperature, config.agents[0]!.top_p, config.agents[0]!.max_completion_tokens], [null, null, 8192]);
  assert.deepEqual(config.agents[0]!.extraBody, { reasoning_effort: 'low', chat_template_kwargs: { enable_thinking: false } });
  assert.deepEqual(problemsOf({ ...minimal, agents: [{ ...agent('a'), extraBody: ['seed', 1] }, { ...agent('b'), extraBody: null }] }), [
    'toa.config.json: agents[0].extraBody: must be an object, not array',
    'toa.config.json: agents[1].extraBody: must be an object, not null',
  ]);
});

test('extraBody may not set what the run sends itself, and names the field to set instead', () => {
  const problems = problemsOf({
    agents: [{ ...agent('a'), extraBody: { model: 'other', messages: [], stream: true, n: 4, temperature: 1, seed: 3 } }],
    reward: { type: 'judge', baseURL: 'http://127.0.0.1:8000/v1', model: 'j', extraBody: { stream_options: { include_usage: true }, max_tokens: 10 } },
  });
  assert.deepEqual(problems, [
    'toa.config.json: agents[0].extraBody.model: TOA Studio sends this; set "model" beside extraBody instead',
    'toa.config.json: agents[0].extraBody.messages: TOA Studio sends this: the prompt, or the refine and aggregate templates filled in',
    'toa.config.json: agents[0].extraBody.stream: TOA Studio sends this; set "stream" beside extraBody instead',
    'toa.config.json: agents[0].extraBody.n: TOA Studio sends this: one reply per call, as each play scores one answer',
    'toa.config.json: agents[0].extraBody.temperature: TOA Studio sends this; set "temperature" beside extraBody instead',
    'toa.config.json: reward.extraBody.stream_options: TOA Studio sends this with "stream" (asking for usage); set "stream" beside extraBody instead',
    'toa.config.json: reward.extraBody.max_tokens: TOA Studio sends this; set "max_tokens" beside extraBody instead',
  ]);
});

test('one token limit per agent and judge: max_tokens or max_completion_tokens, not both', () => {
  assert.deepEqual(
    problemsOf({
      agents: [{ ...agent('a'), max_tokens: 100, max_completion_tokens: 100 }],
      reward: { type: 'judge', baseURL: 'http://127.0.0.1:8000/v1', model: 'j', max_tokens: 1, max_completion_tokens: 2 },
    }),
    [
      'toa.config.json: agents[0].max_completion_tokens: set either agents[0].max_tokens or agents[0].max_completion_tokens, not both',
      'toa.config.json: reward.max_completion_tokens: set either reward.max_tokens or reward.max_completion_tokens, not both',
    ],
  );
});

test('the published JSON Schema has extraBody, max_completion_tokens and null temperature for agents and the judge', () => {
  const text = JSON.stringify(configJsonSchema());
  type Property = { type?: unknown; description?: string; anyOf?: Array<{ type: string }>; propertyNames?: unknown };
  const agentProps = (configJsonSchema() as { properties: { agents: { items: { properties: Record<string, Property> } } } }).properties.agents.items.properties;
  assert.equal(agentProps.extraBody!.type, 'object');
  assert.match(agentProps.extraBody!.description!, /chat_template_kwargs/);
  assert.deepEqual(agentProps.extraBody!.propertyNames, { not: { enum: ['model', 'messages', 'stream', 'stream_options', 'n', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens'] } });
  for (const field of ['temperature', 'top_p']) assert.deepEqual(agentProps[field]!.anyOf?.map((o) => o.type), ['number', 'null'], field);
  assert.ok(agentProps.max_completion_tokens);
  assert.match(text, /"reasoning_effort/);
});
