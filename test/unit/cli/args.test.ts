import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, UsageError } from '../../../src/cli/args';
import { runOptions } from '../../../src/cli/run-command';

/** The usage error `toa run` gives for these arguments. */
function runUsage(argv: string[]): string {
  try {
    parse(argv, runOptions);
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error.message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

test("an unknown flag names the command's closest one, as a config's unknown field does", () => {
  assert.equal(runUsage(['--bugdet', '20']), "Unknown option '--bugdet' (did you mean --budget?)");
  assert.equal(runUsage(['--bugdet=20']), "Unknown option '--bugdet' (did you mean --budget?)");
  assert.equal(runUsage(['--out_dir', 'x']), "Unknown option '--out_dir' (did you mean --out-dir?)");
  assert.equal(runUsage(['--Fresh']), "Unknown option '--Fresh' (did you mean --fresh?)");
  assert.equal(runUsage(['--sed', '7']), "Unknown option '--sed' (did you mean --seed?)");
});

test('an unknown flag far from every known one, or a short one, is named alone', () => {
  assert.equal(runUsage(['--verbose']), "Unknown option '--verbose'");
  assert.equal(runUsage(['-x']), "Unknown option '-x'");
  // Two edits on a short name reach unrelated ones: `--set` is not taken for `--seed`.
  assert.equal(runUsage(['--set', '1']), "Unknown option '--set'");
});
