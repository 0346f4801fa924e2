import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replyExcerpt, serverText } from '../../../src/core/util/server-text';

/** The message of a vLLM 400 whose handler put the whole Python traceback into it. */
const VLLM_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/usr/local/lib/python3.12/dist-packages/vllm/entrypoints/openai/serving_chat.py", line 229, in create_chat_completion',
  '    ) = await self._preprocess_chat(',
  '        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/local/lib/python3.12/dist-packages/vllm/entrypoints/openai/serving_engine.py", line 816, in _preprocess_chat',
  '    prompt_inputs = await self._tokenize_prompt_input_async(',
  '                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/usr/local/lib/python3.12/dist-packages/vllm/entrypoints/openai/serving_engine.py", line 544, in _validate_input',
  '    raise ValueError(',
  "ValueError: This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (1024 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
].join('\n');

/** nginx's own page when the upstream (the model server) is down. */
const NGINX_502 = [
  '<html>',
  '<head><title>502 Bad Gateway</title></head>',
  '<body>',
  '<center><h1>502 Bad Gateway</h1></center>',
  '<hr><center>nginx/1.24.0 (Ubuntu)</center>',
  '</body>',
  '</html>',
  '<!-- a padding to disable MSIE and Chrome friendly error page -->',
  '<!-- a padding to disable MSIE and Chrome friendly error page -->',
  '',
].join('\r\n');

test("a Python traceback is said by the exception it ends with, not by the server's file names", () => {
  assert.equal(
    serverText(VLLM_TRACEBACK),
    "ValueError: This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (1024 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
  );
});

test('text before a traceback stays; with chained exceptions the last one raised is said, with its indented lines', () => {
  const chained = [
    'Internal error while handling the request:',
    VLLM_TRACEBACK,
    '',
    'During handling of the above exception, another exception occurred:',
    '',
    'Traceback (most recent call last):',
    '  File "/app/server.py", line 12, in handle',
    '    validate(body)',
    'pydantic_core._pydantic_core.ValidationError: 1 validation error for ChatCompletionRequest',
    'messages',
    '  Field required [type=missing]',
  ].join('\n');
  assert.equal(serverText(chained), 'Internal error while handling the request: pydantic_core._pydantic_core.ValidationError: 1 validation error for ChatCompletionRequest messages Field required [type=missing]');
});

test('an HTML error page is said as such, with its size and its text, not its markup', () => {
  assert.equal(serverText(NGINX_502), `an HTML page (${Buffer.byteLength(NGINX_502)} bytes): "502 Bad Gateway nginx/1.24.0 (Ubuntu)"`);
  const portal = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Guest Wi&#8209;Fi</title><style>body{font:1em sans-serif}</style><script>var a = "<b>";</script></head><body><p>Sign in &amp; accept the terms</p></body></html>';
  assert.equal(serverText(portal), `an HTML page (${Buffer.byteLength(portal)} bytes): "Guest Wi\u2011Fi: Sign in & accept the terms"`);
  assert.equal(serverText('<html><body><script>location = "/"</script></body></html>'), 'an HTML page (57 bytes)');
});

test('a long message is cut to a few hundred characters on one line, ending with an ellipsis; an HTML page too', () => {
  const fields = Array.from({ length: 60 }, (_, i) => `  messages.${i}.content\n    Input should be a valid string [type=string_type]`).join('\n');
  const validation = serverText(`60 validation errors for ChatCompletionRequest\n${fields}`);
  assert.match(validation, /^60 validation errors for ChatCompletionRequest messages\.0\.content Input should be a valid string \[type=string_type\] messages\.1/);
  assert.ok(validation.endsWith('…') && validation.length <= 301 && !validation.includes('\n'), validation);
  const page = `<html><head><title>502 Bad Gateway</title></head><body>${'<p>upstream unavailable</p>\n'.repeat(200)}</body></html>`;
  const shown = serverText(page);
  assert.match(shown, /^an HTML page \(5\d{3} bytes\): "502 Bad Gateway: upstream unavailable upstream unavailable/);
  assert.ok(shown.endsWith('…"') && shown.length <= 300, shown);
  assert.equal(serverText(shown), shown, 'shortened once is shortened for good');
});

test('a reply that should have been JSON: a page is said as one, other text quoted by its start', () => {
  assert.equal(replyExcerpt('<html><body>Sign in to the guest network</body></html>'), 'an HTML page (54 bytes): "Sign in to the guest network"');
  assert.equal(replyExcerpt('upstream connect error or disconnect/reset before headers'), '"upstream connect error or disconnect/reset before headers"');
  assert.equal(replyExcerpt(''), '""');
});
