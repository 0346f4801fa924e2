import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editorDecodesOtherwise } from '../../../src/extension/editor-decoding';

const bytes = (text: string, encoding: BufferEncoding = 'utf8'): Uint8Array => Buffer.from(text, encoding);

test('UTF-8 with LF or CRLF line ends, with or without its byte-order mark, reads alike from disk', () => {
  for (const text of ['{"prompt": "a"}\n{"prompt": "é"}\n', '{"prompt": "a"}\r\n{"prompt": "b"}\r\n', '\ufeff{"prompt": "a"}\r\n', 'one line without an end\r']) {
    assert.equal(editorDecodesOtherwise(bytes(text)), undefined, JSON.stringify(text));
  }
});

test('UTF-16, with a byte-order mark or without (zero bytes), is the editor’s to decode', () => {
  assert.equal(editorDecodesOtherwise(bytes('\ufeff{"prompt": "a"}\r\n', 'utf16le')), 'it starts with a UTF-16 byte-order mark');
  assert.equal(editorDecodesOtherwise(Buffer.from([0xfe, 0xff, 0, 0x7b])), 'it starts with a UTF-16 byte-order mark');
  assert.equal(editorDecodesOtherwise(bytes('Name a river.\r\nName a sea.\r\n', 'utf16le')), 'it holds zero bytes (UTF-16 without a byte-order mark)');
});

test('carriage returns alone break lines in the editor only: old Mac ends and Python’s \\r\\r\\n', () => {
  assert.equal(editorDecodesOtherwise(bytes('first\rsecond\rthird\r')), 'its lines end in carriage returns alone');
  assert.equal(editorDecodesOtherwise(bytes('{"prompt": "a"}\r\r\n{"prompt": "b"}\r\r\n')), 'its lines end in carriage returns alone');
});
