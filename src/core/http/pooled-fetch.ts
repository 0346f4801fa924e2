import { EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici';

/** Redirects followed before a request fails, as browsers and fetch do (fetch allows 20). */
const MAX_REDIRECTS = 5;

type Fetch = typeof fetch;

/**
 * A `fetch` for the openai SDK and the HTTP reward providers, made on undici's `request` API
 * over one keep-alive pool.
 *
 * Why not the built-in fetch: Node 20's fetch tees every request body into web streams and builds
 * the whole WHATWG fetch state per call, about 100 KB of garbage per request. At 32 calls in flight
 * much of it lives long enough to be promoted, and V8 grows its heap to hold it: a 100,000-row
 * CLI run peaked at 233 MB RSS. The same requests through this function cost about 40% less
 * client CPU (bench/, docs/benchmarks.md).
 *
 * What callers rely on is kept from fetch: network failures reject with a TypeError whose `cause`
 * is the socket error; a body cut mid-way errors with TypeError("terminated"); an abort rejects
 * with the signal's reason; redirects are followed. HTTP_PROXY, HTTPS_PROXY and NO_PROXY are
 * honoured (the built-in fetch of Node 20 ignores them), and loopback addresses always go
 * direct. The extension does not use this: VS Code's own fetch applies the user's proxy
 * settings there.
 */
export function createPooledFetch(dispatcher: Dispatcher = defaultDispatcher()): Fetch {
  return async (input, init = {}) => {
    const body = init.body ?? undefined;
    // The SDK and the reward providers pass a URL and JSON text. Anything else (a Request object,
    // forms, streams) is rare enough to leave to the built-in fetch rather than re-implement its rules.
    const plain = typeof input === 'string' || input instanceof URL;
    if (!plain || (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array))) return fetch(input, init);
    const url = typeof input === 'string' ? input : input.href;
    const signal = init.signal ?? undefined;
    let reply: Dispatcher.ResponseData;
    try {
      reply = await request(url, { method: (init.method ?? 'GET') as Dispatcher.HttpMethod, headers: headerRecord(init.headers), body, signal, dispatcher });
    } catch (error) {
      throw signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error });
    }
    return toResponse(reply, signal, init.method === 'HEAD');
  };
}

/**
 * Never proxied, whatever NO_PROXY says (as Go's net/http does): a proxy cannot reach a server on
 * the user's own machine, and that is where local model servers (vLLM, Ollama, LM Studio) run.
 */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

let shared: Dispatcher | undefined;

/** One pool per process, so every agent on the same host reuses its connections. */
function defaultDispatcher(): Dispatcher {
  shared ??= new EnvHttpProxyAgent({ noProxy: noProxyList(process.env) }).compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
  return shared;
}

function noProxyList(env: NodeJS.ProcessEnv): string {
  const given = (env.no_proxy ?? env.NO_PROXY ?? '').trim();
  return given === '*' ? given : [given, ...LOOPBACK].filter(Boolean).join(',');
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers) new Headers(headers).forEach((value, name) => (record[name] = value));
  return record;
}

function toResponse(reply: Dispatcher.ResponseData, signal: AbortSignal | undefined, head: boolean): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.append(name, value);
  }
  const status = reply.statusCode;
  // A Response with these statuses may not have a body; read the (empty) one off the socket.
  if (head || status === 204 || status === 205 || status === 304) {
    void reply.body.dump().catch(() => undefined);
    return new Response(null, { status, statusText: reply.statusText, headers });
  }
  return new Response(guarded(reply.body, signal) as unknown as BodyInit, { status, statusText: reply.statusText, headers });
}

/** The body's chunks, with fetch's errors: the signal's reason on abort, else TypeError("terminated"). */
async function* guarded(body: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw signal?.aborted ? signal.reason : new TypeError('terminated', { cause: error });
  }
}
