import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../harness';
import type { Session } from './session';

const FAILURE_DIR = join(repoRoot, '.vscode-test', 'ui-failures');

/**
 * Runs a test body; on failure saves a screenshot of the workbench to
 * .vscode-test/ui-failures/ and adds the extension's 'TOA Studio' output channel and the last
 * workbench log lines to the error, so a red run says what the extension did.
 */
export async function diagnose(session: () => Session | undefined, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const s = session();
    if (!s) throw error;
    const file = join(FAILURE_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await mkdir(FAILURE_DIR, { recursive: true });
    const shot = await s.page.screenshot({ path: file }).then(() => `screenshot: ${file}`, (e: unknown) => `no screenshot: ${String(e)}`);
    const toaLog = await s.toaLog().catch((e: unknown) => `(unreadable: ${String(e)})`);
    const message = [
      error instanceof Error ? error.message : String(error),
      shot,
      `--- TOA Studio output channel ---\n${toaLog.trim().split('\n').slice(-60).join('\n') || '(empty)'}`,
      `--- workbench log (last 40) ---\n${s.logs.slice(-40).join('\n')}`,
    ].join('\n\n');
    const wrapped = new Error(message);
    if (error instanceof Error && error.stack) wrapped.stack = `${message}\n${error.stack.split('\n').slice(1).join('\n')}`;
    throw wrapped;
  }
}
