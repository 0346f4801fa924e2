import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigText, ValidationError } from '../../../src/core/config';

const TEXT = `{
  // two agents
  "agents": [
    { "name": "a", "baseURL": "http://127.0.0.1:8000/v1", "model": "m" },
    { "name": "b", "baseURL": "http://127.0.0.1:8001/v1", "model": "m",
      "temperature": "hot" }
  ],
  "reward": { "type": "vllm", "baseURL": "http://127.0.0.1:8002", "model": "r" },
  "search": {
    "budget": 0
  }
}`;

function problemsOf(text: string): ValidationError['problems'] {
  try {
    parseConfigText(text, 'toa.config.json');
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('the config is valid');
}

test("a config file's problems sit on the line of the field they name, for the Problems view", () => {
  assert.deepEqual(problemsOf(TEXT).map((p) => [p.path, p.line]), [['agents[1].temperature', 6], ['search.budget', 10]]);
});

test('a missing field points at the nearest enclosing one', () => {
  const text = '{\n  "agents": [\n    { "name": "a", "model": "m" }\n  ],\n  "reward": { "type": "reference", "check": "math" }\n}';
  assert.deepEqual(problemsOf(text).map((p) => [p.path, p.line]), [['agents[0].baseURL', 3]]);
});
