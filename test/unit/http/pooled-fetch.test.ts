import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Agent, interceptors } from 'undici';
import { createPooledFetch } from '../../../src/core/http/pooled-fetch';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

// Routes the tests need: echo, redirect, no content, a body cut mid-way, a reply that never ends.
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/moved') return void res.writeHead(307, { location: '/echo' }).end();
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
        res.write('only part');
        return void setTimeout(() => res.destroy(), 20);
      }
      if (req.url === '/hang') return void res.writeHead(200, { 'content-type': 'text/plain' }).write('start');
      res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

// A private pool, so the tests do not depend on the proxy variables of the machine they run on.
const pooled = createPooledFetch(new Agent().compose(interceptors.redirect({ maxRedirections: 5 })));

describe('pooled fetch', () => {
  it('sends method, headers and a JSON body, and reads status, headers and JSON back', async () => {
    const res = await pooled(`${base}/echo`, { method: 'POST', headers: new Headers({ 'content-type': 'application/json', 'x-key': 'k' }), body: '{"a":1}' });
    assert.equal(res.status, 201);
    assert.equal(res.ok, true);
    assert.equal(res.headers.get('x-multi'), 'a, b');
    assert.deepEqual(await res.json(), { method: 'POST', body: '{"a":1}' });
    assert.equal(seen.at(-1)!.headers['x-key'], 'k');
  });

  it('follows a redirect, re-sending the body', async () => {
    const res = await pooled(`${base}/moved`, { method: 'POST', body: 'again' });
    assert.deepEqual(await res.json(), { method: 'POST', body: 'again' });
  });

  it('gives a 204 and a HEAD reply no body', async () => {
    const empty = await pooled(`${base}/empty`, { method: 'DELETE' });
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
    const head = await pooled(`${base}/echo`, { method: 'HEAD' });
    assert.equal(head.body, null);
  });

  it('rejects a refused connection with TypeError("fetch failed") and the socket error as cause', async () => {
    const refused = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const error = await pooled(`http://127.0.0.1:${refused}/`).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TypeError);
    assert.equal(error.message, 'fetch failed');
    assert.match(String((error.cause as Error).message ?? (error.cause as { code?: string }).code), /ECONNREFUSED|connect/);
  });

  it('errors a body cut mid-way with TypeError("terminated")', async () => {
    const res = await pooled(`${base}/cut`);
    const error = await res.text().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TypeError, String(error));
    assert.equal(error.message, 'terminated');
  });

  it('rejects with the signal reason on an abort, before the reply and while reading the body', async () => {
    const early = new AbortController();
    const reason = new Error('stop');
    early.abort(reason);
    await assert.rejects(pooled(`${base}/echo`, { signal: early.signal }), (e) => e === reason);

    const late = new AbortController();
    const res = await pooled(`${base}/hang`, { signal: late.signal });
    const reading = res.text();
    late.abort(reason);
    await assert.rejects(reading, (e) => e === reason);
  });

  it('leaves a Request object and bodies other than text to the built-in fetch', async () => {
    const form = new URLSearchParams({ q: 'x y' });
    const res = await pooled(`${base}/echo`, { method: 'POST', body: form });
    assert.deepEqual(await res.json(), { method: 'POST', body: 'q=x+y' });
    const request = await pooled(new Request(`${base}/echo`, { method: 'PUT', body: 'in the request' }));
    assert.deepEqual(await request.json(), { method: 'PUT', body: 'in the request' });
  });

  it('reuses its connections (keep-alive)', async () => {
    const ports = new Set<number>();
    const onConnection = (socket: { remotePort?: number }): void => void ports.add(socket.remotePort ?? 0);
    server.on('connection', onConnection);
    try {
      for (let i = 0; i < 5; i++) await (await pooled(`${base}/echo`)).text();
    } finally {
      server.off('connection', onConnection);
    }
    assert.ok(ports.size <= 1, `${ports.size} connections for 5 sequential requests`);
  });
});
