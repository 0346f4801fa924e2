import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const PROBE = join(__dirname, 'young-generation-probe.ts');
const MB = 1024 * 1024;

/** The young generation's size after a burst of allocation, in a fresh node with these flags and env. */
function youngGeneration(nodeFlags: string[], env: NodeJS.ProcessEnv = {}): number {
  const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', PROBE], { env: { ...process.env, TOA_V8_DEFAULTS: '', NODE_OPTIONS: '', ...env } });
  return Number(out.toString());
}

describe('CLI heap settings for batch runs', () => {
  it('keep the young generation at its initial size', () => {
    assert.ok(youngGeneration([]) <= 8 * MB);
  });

  it('are skipped with TOA_V8_DEFAULTS=1, where V8 grows it', () => {
    assert.ok(youngGeneration([], { TOA_V8_DEFAULTS: '1' }) >= 16 * MB);
  });

  it('are left out when the user sizes the heap themselves, on the command line or in NODE_OPTIONS', () => {
    assert.ok(youngGeneration(['--semi-space-growth-factor=2']) >= 16 * MB);
    assert.ok(youngGeneration([], { NODE_OPTIONS: '--max-semi-space-size=32' }) >= 16 * MB);
  });
});
