import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, repoRoot } from '../harness';
import { chromiumPath } from '../harness/paths';
import { openFromExplorer } from './workbench/editor';
import { pollJsonl } from './workbench/files';
import { runCommand } from './workbench/palette';
import { ensureBuilt } from './workbench/session';

/**
 * `npm start` as a user meets it: the script prints a URL; that URL is a VS Code with the
 * extension and an example workspace pointed at the simulator; a synthesis there writes traces;
 * Ctrl-C stops everything.
 */
const workspace = join(repoRoot, '.vscode-test', 'start-workspace');
let start: ChildProcess;
let browser: BrowserContext | undefined;
let profile: string;

function startUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL in 120 s:\n${out}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/m.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${out}`)));
  });
}

before(async () => {
  ensureBuilt();
  // A fresh demo: earlier traces would be counted below.
  await rm(join(workspace, 'data'), { recursive: true, force: true });
  profile = await mkdtemp(join(tmpdir(), 'toa-start-chromium-'));
  start = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'start.ts')], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
});

after(async () => {
  await browser?.close();
  if (start.exitCode === null && start.signalCode === null) process.kill(-start.pid!, 'SIGKILL');
  await rm(profile, { recursive: true, force: true });
});

test('npm start: the printed URL is VS Code with the extension and the example, pointed at the simulator; Ctrl-C stops it', { timeout: 300_000 }, async () => {
  const url = await startUrl(start);
  browser = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(url);
  await openFromExplorer(page, 'prompts.jsonl');
  await page.locator('.statusbar-item', { hasText: 'TOA' }).first().waitFor({ timeout: 60_000 });
  await runCommand(page, 'TOA Studio: Synthesize File');
  const traces = await pollJsonl<{ promptId: string; tree: { plays: number } }>(join(workspace, 'data', 'traces.jsonl'), (rows) => rows.length === 8, 120_000);
  assert.deepEqual(traces.map((t) => t.tree.plays), Array(8).fill(24), 'the example config: 8 prompts, budget 24');
  await browser.close();
  browser = undefined;
  process.kill(start.pid!, 'SIGINT');
  const [code] = (await once(start, 'exit')) as [number | null];
  assert.equal(code, 0);
});
