import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, pathOption, UsageError } from '../../../src/cli/args';
import { compareOptions, runOptions, simOptions, validateOptions } from '../../../src/cli/command-options';

/** The usage error `toa run` gives for these arguments. */
function runUsage(argv: string[]): string {
  return usage(argv, runOptions);
}

/** The usage error a command with these options gives for these arguments. */
function usage(argv: string[], options: Parameters<typeof parse>[1]): string {
  try {
    parse(argv, options);
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

test("a flag of another toa command is named as that command's, beside this command's closest flag", () => {
  assert.equal(runUsage(['--strategies', 'toa,moa']), "Unknown option '--strategies' (--strategies is an option of toa compare)");
  assert.equal(runUsage(['--strategies=toa']), "Unknown option '--strategies' (--strategies is an option of toa compare)");
  assert.equal(usage(['--input', 'x.jsonl'], simOptions), "Unknown option '--input' (--input is an option of toa run, toa compare and toa validate)");
  assert.equal(usage(['--sead', '1'], validateOptions), "Unknown option '--sead'");
  assert.equal(usage(['--seed', '1'], validateOptions), "Unknown option '--seed' (--seed is an option of toa run, toa compare and toa sim)");
  assert.equal(usage(['--fault-49', '0.1'], runOptions), "Unknown option '--fault-49'");
  assert.equal(usage(['--latency', '1'], compareOptions), "Unknown option '--latency' (--latency is an option of toa sim)");
  assert.equal(runUsage(['--port', '8808']), "Unknown option '--port' (--port is an option of toa sim)");
  assert.equal(runUsage(['--providers', 'openai']), "Unknown option '--providers' (--providers is an option of toa init)");
  // Not a name every object has: only the commands' own flags count.
  assert.equal(runUsage(['--constructor']), "Unknown option '--constructor'");
});


test('a path the command writes to, holding ~ or an environment variable the shell left alone, is a usage error', () => {
  const fix = 'which is not expanded here: write the path out in full, or relative to the current folder';
  const refused = (value: string): string => {
    try {
      pathOption(value, 'out-dir');
    } catch (error) {
      assert.ok(error instanceof UsageError);
      return error.message;
    }
    assert.fail(`${value} was accepted`);
  };
  assert.equal(refused('~/data'), `--out-dir: "~/data" starts with ~, ${fix}`);
  assert.equal(refused('~'), `--out-dir: "~" starts with ~, ${fix}`);
  assert.equal(refused('$HOME/data'), `--out-dir: "$HOME/data" holds the environment variable $HOME, ${fix}`);
  assert.equal(refused('out/${RUN_ID}'), `--out-dir: "out/\${RUN_ID}" holds the environment variable \${RUN_ID}, ${fix}`);
  assert.equal(refused('%TEMP%\\toa'), `--out-dir: "%TEMP%\\toa" holds the environment variable %TEMP%, ${fix}`);
  for (const kept of ['out', '/tmp/a~b/out', 'C:\\PROGRA~1\\out', 'out$', undefined]) assert.equal(pathOption(kept, 'out-dir'), kept);
});
