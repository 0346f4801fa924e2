import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { ChatClient, classifyChatError } from '../../../src/core/agents/faults';

/** What the SDK throws when fetch fails: APIConnectionError <- TypeError("fetch failed") <- the socket error. */
function connectionError(code: string, message: string): Error {
  const socket = Object.assign(new Error(message), { code });
  return new OpenAI.APIConnectionError({ cause: new TypeError('fetch failed', { cause: socket }) });
}

test('only a connection that could not be made counts as unreachable, by why; a reset or cut means a server was there', () => {
  const cases = [
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', 'refused', 'connect ECONNREFUSED 127.0.0.1:9'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid', 'no-host', 'getaddrinfo ENOTFOUND nowhere.invalid: no such host'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.example', 'no-host', 'getaddrinfo EAI_AGAIN api.example: the host name could not be resolved (a DNS failure that may pass)'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.9:80', 'no-route', 'connect EHOSTUNREACH 10.0.0.9:80'],
    ['ENETUNREACH', 'connect ENETUNREACH 2001:db8::1:443', 'no-route', 'connect ENETUNREACH 2001:db8::1:443'],
  ] as const;
  for (const [code, message, why, said] of cases) {
    const fault = classifyChatError(connectionError(code, message), 0);
    assert.equal(fault.unreachable, why, code);
    assert.equal(fault.retryable, true);
    assert.equal(fault.reason, `connection failed: ${said}`);
  }
  // A code that is a name of every object's prototype is no code we know.
  for (const [code, message] of [['ECONNRESET', 'read ECONNRESET'], ['UND_ERR_SOCKET', 'other side closed'], ['constructor', 'odd']] as const) {
    assert.equal(classifyChatError(connectionError(code, message), 0).unreachable, undefined, code);
  }
  assert.equal(classifyChatError(new TypeError('terminated'), 0).unreachable, undefined, 'a cut body');
});

/** The message of the error the client throws for a reply of `status` with this JSON body. */
async function errorMessage(status: number, body: unknown): Promise<string> {
  const client = new ChatClient({ apiKey: 'k', baseURL: 'http://server.invalid/v1', maxRetries: 0, logLevel: 'off', fetch: () => Promise.resolve(Response.json(body, { status })) });
  const error: unknown = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof OpenAI.APIError, String(error));
  return error.message;
}

test('an error body whose error has no message is said by its start, not as 10,000 characters of JSON', async () => {
  const fields = Array.from({ length: 200 }, (_, i) => ({ type: 'string_type', loc: ['body', 'messages', i, 'content'], msg: 'Input should be a valid string', input: 42 }));
  const message = await errorMessage(422, { error: fields });
  assert.ok(message.startsWith('422 [{"type":"string_type","loc":["body","messages",0,"content"],"msg":"Input should be a valid string","input":42}'), message);
  assert.ok(message.length <= 305 && message.endsWith('…'), `${message.length} characters`);
});

test("Gemini's error body, an array of one error, is said by its message, not as 'no body'", async () => {
  const unknownField = 'Invalid JSON payload received. Unknown name "web_search_options": Cannot find field.';
  const body = [{ error: { code: 400, message: unknownField, status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: unknownField }] }] } }];
  assert.equal(await errorMessage(400, body), `400 ${unknownField}`);
});
