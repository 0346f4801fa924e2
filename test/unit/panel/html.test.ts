import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, panelHtml } from '../../../src/extension/panel/html';
import { DisposableStore } from '../../../src/extension/panel/disposables';

test('the CSP denies by default and admits only the nonce script and the webview origin', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'nonce-abc'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  for (const d of ['style-src', 'font-src', 'img-src']) assert.match(csp, new RegExp(`${d} https://x\\.vscode-cdn\\.net(;|$)`));
});

test('the page loads one nonce-tagged script and the codicon sheet under its fixed id', () => {
  const html = panelHtml({ cspSource: 'vscode-resource:', nonce: 'n1', scriptUri: 's.js?a="b"', styleUri: 'w.css', codiconUri: 'c.css' });
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.match(html, /<script nonce="n1" src="s\.js\?a=&quot;b&quot;"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="c\.css" id="vscode-codicon-stylesheet">/);
  assert.doesNotMatch(html, /style=/);
});

test('nonces are fresh and long enough', () => {
  const a = createNonce();
  assert.notEqual(a, createNonce());
  assert.ok(a.length >= 24 && /^[A-Za-z0-9_-]+$/.test(a));
});

test('a disposable store drains newest first, once, and disposes late additions', () => {
  const order: string[] = [];
  const store = new DisposableStore();
  store.add({ dispose: () => order.push('a') });
  store.add({ dispose: () => order.push('b') });
  store.dispose();
  store.dispose();
  store.add({ dispose: () => order.push('late') });
  assert.deepEqual(order, ['b', 'a', 'late']);
});

test('a throwing disposable does not stop the others', () => {
  const order: string[] = [];
  const store = new DisposableStore();
  store.add({ dispose: () => order.push('a') });
  store.add({ dispose: () => { throw new Error('boom'); } });
  assert.throws(() => store.dispose(), AggregateError);
  assert.deepEqual(order, ['a']);
});
