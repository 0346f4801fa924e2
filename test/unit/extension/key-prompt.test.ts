import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyChoices, keyPromptText } from '../../../src/extension/endpoints';

test('the key prompt says where the key goes, and when it goes unencrypted', () => {
  assert.equal(keyPromptText('https://api.openai.com/v1'), "Stored in VS Code's secret storage and sent only to https://api.openai.com.");
  assert.equal(keyPromptText('http://10.0.0.5:8000/v1'), "Stored in VS Code's secret storage and sent only to http://10.0.0.5:8000, unencrypted (http, not https): anyone on the network between can read it.");
  assert.equal(keyPromptText('http://127.0.0.1:8000/v1'), "Stored in VS Code's secret storage and sent only to http://127.0.0.1:8000.", 'this machine: no network between');
});

test('the key commands list an origin once, naming every endpoint there, since one key serves them all', () => {
  const endpoints = [
    { label: 'agent "gpt"', url: 'https://api.openai.com/v1' },
    { label: 'agent "local"', url: 'http://10.0.0.5:8000/v1' },
    { label: 'agent "mini"', url: 'https://api.openai.com/v1' },
    { label: 'agent "nano"', url: 'https://api.openai.com/v1/' },
    { label: 'reward model (judge)', url: 'https://api.openai.com/v1' },
  ];
  assert.deepEqual(keyChoices(endpoints, ['https://api.openai.com', 'https://openrouter.ai'], false), [
    { label: 'https://api.openai.com', description: 'agent "gpt", agent "mini", agent "nano" and 1 more', detail: 'a key is stored', url: 'https://api.openai.com/v1' },
    { label: 'http://10.0.0.5:8000', description: 'agent "local"', url: 'http://10.0.0.5:8000/v1' },
    { label: 'https://openrouter.ai', description: 'stored key', url: 'https://openrouter.ai' },
  ]);
  assert.deepEqual(keyChoices(endpoints, ['https://openrouter.ai'], true), [{ label: 'https://openrouter.ai', description: 'stored key', url: 'https://openrouter.ai' }], 'clearing: only origins with a key');
});
