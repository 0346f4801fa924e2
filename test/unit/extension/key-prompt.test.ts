import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyPromptText } from '../../../src/extension/endpoints';

test('the key prompt says where the key goes, and when it goes unencrypted', () => {
  assert.equal(keyPromptText('https://api.openai.com/v1'), "Stored in VS Code's secret storage and sent only to https://api.openai.com.");
  assert.equal(keyPromptText('http://10.0.0.5:8000/v1'), "Stored in VS Code's secret storage and sent only to http://10.0.0.5:8000, unencrypted (http, not https): anyone on the network between can read it.");
  assert.equal(keyPromptText('http://127.0.0.1:8000/v1'), "Stored in VS Code's secret storage and sent only to http://127.0.0.1:8000.", 'this machine: no network between');
});
