import { after, before } from 'node:test';
import { lockOutputs, type OutputLock } from '../../../src/core/dataset/output-lock';

/**
 * A lock on outputs in `inDir` (a tempDir), held while the tests of the enclosing describe (or
 * file) run: what an appender's tail repair needs (see TailRepair). Returns it once taken.
 */
export function heldLock(inDir: (...parts: string[]) => string): () => OutputLock {
  let lock: OutputLock | undefined;
  before(() => {
    lock = lockOutputs(inDir('held', 'trace.jsonl'), 'test-run');
  });
  after(() => lock?.release());
  return () => lock!;
}
