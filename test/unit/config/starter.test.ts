import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concurrencyNotes, parseConfigText, resolveConfigSearch, STARTER_PROVIDER_NAMES, STARTER_PROVIDERS, starterConfigText } from '../../../src/core/config';

test('the starter config is valid for each provider alone and for all of them, with comments', () => {
  for (const providers of [...STARTER_PROVIDER_NAMES.map((p) => [p]), STARTER_PROVIDER_NAMES]) {
    const text = starterConfigText(providers);
    assert.match(text, /^\s*\/\/ /m, 'commented, for the user to read');
    const config = parseConfigText(text, 'toa.config.json');
    assert.deepEqual(config.agents.map((a) => a.name), providers);
    for (const agent of config.agents) {
      const preset = STARTER_PROVIDERS[agent.name as keyof typeof STARTER_PROVIDERS];
      assert.deepEqual([agent.baseURL, agent.model, agent.apiKeyEnv], [preset.baseURL, preset.model, preset.apiKeyEnv]);
    }
    const first = STARTER_PROVIDERS[providers[0]!];
    assert.equal(config.reward.type, 'judge');
    if (config.reward.type === 'judge') assert.deepEqual([config.reward.baseURL, config.reward.model, config.reward.apiKeyEnv], [first.baseURL, first.model, first.apiKeyEnv]);
    const { params } = resolveConfigSearch(config);
    assert.deepEqual([params.strategy, params.tau], ['toa', 9], "as the file's comment says: tau is the judge's score range");
    assert.match(text, /tau, with a judge, its score range \(9 for 1 to 10\)/);
  }
});

test('the starter config drops repeated providers and needs at least one', () => {
  assert.deepEqual(parseConfigText(starterConfigText(['ollama', 'ollama', 'vllm'])).agents.map((a) => a.name), ['ollama', 'vllm']);
  assert.throws(() => starterConfigText([]), /at least one provider/);
});

test('local servers get few calls at once, remote ones keep the default', () => {
  const config = parseConfigText(starterConfigText(['openai', 'ollama', 'lmstudio']));
  assert.deepEqual(config.agents.map((a) => a.maxConcurrency), [8, 4, 2]);
});

test('the starter asks for no more calls in flight than its agents take, so it starts without a concurrency note', () => {
  for (const providers of [...STARTER_PROVIDER_NAMES.map((p) => [p]), STARTER_PROVIDER_NAMES]) {
    const config = parseConfigText(starterConfigText(providers));
    assert.deepEqual(concurrencyNotes(config), [], providers.join(','));
  }
  assert.equal(parseConfigText(starterConfigText(['lmstudio'])).run.concurrency, 2);
  assert.equal(parseConfigText(starterConfigText(['openai', 'ollama'])).run.concurrency, 8);
});
