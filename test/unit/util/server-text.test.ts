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

test('the exception leads and the text before its traceback follows, shortened, so a long log line cannot push it past the cut', () => {
  assert.equal(
    serverText(`Internal error while handling the request:\n${VLLM_TRACEBACK}`),
    "ValueError: This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (1024 in the messages, 4096 in the completion). Please reduce the length of the messages or completion. — Internal error while handling the request:",
  );
  const logLine = 'ERROR 05-12 10:00:01 [serving_chat.py:229] Error in preprocessing prompt inputs for request chatcmpl-5f0c2a, model Qwen/Qwen2.5-7B-Instruct, sampling params SamplingParams(n=1, temperature=0.7, top_p=1.0, max_tokens=4096)';
  assert.equal(
    serverText(`${logLine}\n${VLLM_TRACEBACK}`),
    "ValueError: This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (1024 in the messages, 4096 in the completion). Please reduce the length of the messages or completion. — ERROR 05-12 10:00:01 [serving_chat.py:229] Error in preprocessing prompt inputs …",
  );
});

test('with chained exceptions the last raised is said after the first, which a wrapper only points to', () => {
  const engine = [
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/engine/core.py", line 691, in run_engine_core',
    '    engine_core = EngineCoreProc(*args, **kwargs)',
    'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.58 GiB of which 1.02 GiB is free.',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/engine/core_client.py", line 96, in make_async_mp_client',
    '    return AsyncMPClient(*client_args)',
    'RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}',
  ].join('\n');
  assert.equal(
    serverText(engine),
    'RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {} (after: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.58 GiB of which 1.02 GiB is free.)',
  );
  // Both long: each gets half the length, and the text before gives way.
  const handling = [
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
  assert.equal(
    serverText(handling),
    "pydantic_core._pydantic_core.ValidationError: 1 validation error for ChatCompletionRequest messages Field required [type=missing] (after: ValueError: This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (1024 in the messages, 4096 in the comple…)",
  );
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

test('a hostile or huge body takes time in proportion to the little read of it: each call returns within 200 ms', () => {
  const megabyte = 1 << 20;
  const fill = (part: string, size = megabyte): string => part.repeat(Math.ceil(size / part.length));
  const page = `<html><body>${fill('<p>upstream unavailable</p>\n')}`;
  const bodies: Record<string, string> = {
    'empty comments no tag follows': `${'<!---->'.repeat(30)}x`,
    'a 502 page after comments': `${'<!-- -->'.repeat(27)}<h1>Bad gateway</h1>`,
    'title start tags': fill('<title', 240_000),
    'comments left open': `<html>${fill('<!--', 160_000)}`,
    'heads and scripts left open': `<html>${fill('<head<script', 320_000)}`,
    'title end tags without their ">"': `<html><title>${fill('</title ')}`,
    'a tag left open': `<html>${fill('<')}`,
    'a megabyte page': page,
    'a megabyte of short lines': fill('a b\n'),
    'a traceback and a megabyte of blank lines': `Traceback (most recent call last):${fill('\n')}`,
    'a megabyte of chained tracebacks': fill('Traceback (most recent call last):\n  File "x.py", line 1\nValueError: x\n\n'),
  };
  for (const [name, body] of Object.entries(bodies)) {
    for (const say of [serverText, replyExcerpt]) {
      // The fastest of three: a collection of the test's megabytes, or another process on a
      // loaded machine, can stall one call; the backtracking this guards against costs seconds
      // every time.
      let said = '';
      const ms = Math.min(
        ...[0, 1, 2].map(() => {
          const start = performance.now();
          said = say(body);
          return performance.now() - start;
        }),
      );
      assert.ok(ms < 200, `${name}: ${say.name} took ${Math.round(ms)} ms`);
      assert.ok(said.length <= 302, `${name}: ${said.length} characters`);
    }
  }
  assert.match(serverText(page), /^an HTML page \(1048\d{3} bytes\): "upstream unavailable upstream unavailable/);
});

test('text other than a page is quoted by its start however far it begins: clip reads only what it keeps, uncapped', () => {
  const padded = `${'\n'.repeat(10_000)}model "qwen" not found\n${'\n'.repeat(10_000)}`;
  assert.equal(serverText(padded), 'model "qwen" not found');
  assert.equal(replyExcerpt(padded), '"model \\"qwen\\" not found"');
});
