import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { classifyChatError } from '../../../src/core/agents/faults';

/** What the SDK throws when fetch fails: APIConnectionError <- TypeError("fetch failed") <- the socket error. */
function connectionError(code: string, message: string): Error {
  const socket = Object.assign(new Error(message), { code });
  return new OpenAI.APIConnectionError({ cause: new TypeError('fetch failed', { cause: socket }) });
}

test('only a connection that could not be made counts as unreachable; a reset or cut means a server was there', () => {
  for (const [code, message] of [['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'], ['ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid']] as const) {
    const fault = classifyChatError(connectionError(code, message), 0);
    assert.equal(fault.unreachable, true, code);
    assert.equal(fault.retryable, true);
    assert.match(fault.reason, new RegExp(`^connection failed: ${message}$`));
  }
  for (const [code, message] of [['ECONNRESET', 'read ECONNRESET'], ['UND_ERR_SOCKET', 'other side closed']] as const) {
    assert.equal(classifyChatError(connectionError(code, message), 0).unreachable, false, code);
  }
  assert.equal(classifyChatError(new TypeError('terminated'), 0).unreachable, undefined, 'a cut body');
});
