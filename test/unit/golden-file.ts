import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Compares `value` with the JSON golden file `file`; with `UPDATE_GOLDEN=1`, rewrites the file
 * instead (review its diff before committing it).
 */
export function assertGolden(file: string, value: unknown): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 to create it`);
  assert.deepEqual(value, JSON.parse(readFileSync(file, 'utf8')));
}
