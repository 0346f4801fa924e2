import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonExcerpt } from '../../../src/core/util/excerpt';
import { redact, shownUrl } from '../../../src/core/util/redact';

const KEY = 'sk-proj-4fZq9TtLmW2x';

test('a key is replaced wherever it appears whole', () => {
  assert.equal(redact(`401: key ${KEY} is invalid; ${KEY}`, KEY), '401: key [redacted key] is invalid; [redacted key]');
});

test('a key an excerpt cut through loses its visible start too', () => {
  for (let cut = 4; cut < KEY.length; cut++) {
    const quoted = jsonExcerpt({ echo: `Bearer ${KEY}` }, 16 + cut);
    assert.ok(quoted.includes(KEY.slice(0, cut)) && quoted.endsWith('…'), `the cut goes through the key: ${quoted}`);
    const shown = redact(`reply: ${quoted}`, KEY);
    assert.equal(shown, 'reply: {"echo":"Bearer [redacted key]…', `cut after ${cut} characters`);
  }
});

test('short starts and ordinary words before an ellipsis are left alone', () => {
  assert.equal(redact('token sk-…', KEY), 'token sk-…', 'three characters are every OpenAI key');
  assert.equal(redact('and so on…', KEY), 'and so on…');
  assert.equal(redact('short key', 'sk-1'), 'short key');
});

test('a URL is shown without its user name, password or query values', () => {
  assert.equal(shownUrl('https://bob:pa55word@scorer.example:8443/v1/score?key=s3cret&api-key=k2#frag'), 'https://scorer.example:8443/v1/score?key=…&api-key=…');
  assert.equal(shownUrl('http://127.0.0.1:8001/classify'), 'http://127.0.0.1:8001/classify');
  assert.equal(shownUrl('not a url'), 'not a url');
});
