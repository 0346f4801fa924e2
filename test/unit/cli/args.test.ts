import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetOption, intOption, numberOption, parse, pathOption, unknownCommandText, UsageError } from '../../../src/cli/args';
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


test('a path flag given as "" (an unset shell variable) is a usage error, not a flag left out', () => {
  const refused = '--input: is empty (an unset shell variable?); give the path';
  assert.equal(usage(['--config', 'toa.config.json', '--input', ''], validateOptions), refused, 'validate would skip the input and call the config ok');
  assert.equal(usage(['--config', 'toa.config.json', '--input='], validateOptions), refused);
  assert.equal(runUsage(['-c', 'toa.config.json', '-i', 'p.jsonl', '--out-dir', '']), '--out-dir: is empty (an unset shell variable?); give the path');
  assert.equal(usage(['--answers', ''], simOptions), '--answers: is empty (an unset shell variable?); give the path');
  assert.equal(runUsage(['-c', '', '-i', 'p.jsonl']), '--config: is empty (an unset shell variable?); give the path');
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

/** The usage error an option parser gives for `value`. */
function refusedBy(parseOption: (value: string) => unknown, value: string): string {
  try {
    parseOption(value);
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error.message;
  }
  assert.fail(`"${value}" was accepted`);
}

test('a whole-number flag takes plain decimal digits only, and says the number another notation would have read', () => {
  const budget = (value: string): string => refusedBy(budgetOption, value);
  assert.equal(budget('0x10'), '--budget: must be a whole number, got "0x10"; write it in decimal digits: 16');
  assert.equal(budget('1e3'), '--budget: must be a whole number, got "1e3"; write it in decimal digits: 1000');
  assert.equal(budget('0b11'), '--budget: must be a whole number, got "0b11"; write it in decimal digits: 3');
  assert.equal(budget(' 20'), '--budget: must be a whole number, got " 20"; write it in decimal digits: 20');
  assert.equal(budget('+5'), '--budget: must be a whole number, got "+5"; write it in decimal digits: 5');
  assert.equal(budget('2.5'), '--budget: must be a whole number, got "2.5"');
  assert.equal(budget(''), '--budget: must be a whole number, got ""');
  assert.equal(budget('ten'), '--budget: must be a whole number, got "ten"');
  assert.equal(refusedBy((v) => intOption(v, 'seed'), '99999999999999999999'), '--seed: must be a whole number between -9007199254740991 and 9007199254740991, got "99999999999999999999"');
  // A budget too large to read says the budget's own range.
  assert.equal(budget('99999999999999999999'), '--budget: must be a whole number between 1 and 9007199254740991, got "99999999999999999999"');
  assert.equal(budgetOption('40'), 40);
  assert.equal(budgetOption('007'), 7);
  assert.equal(intOption('-3', 'seed'), -3);
  assert.ok(Object.is(intOption('-0', 'seed'), 0));
  assert.equal(intOption(undefined, 'seed'), undefined);
});

test('a number flag takes decimal notation only: not hexadecimal, Infinity or blank', () => {
  const latency = (value: string): string => refusedBy((v) => numberOption(v, 'latency'), value);
  assert.equal(latency('0x10'), '--latency: must be a number, got "0x10"; write it in decimal digits: 16');
  assert.equal(latency('Infinity'), '--latency: must be a number, got "Infinity"');
  assert.equal(latency('1e400'), '--latency: must be a number, got "1e400"');
  assert.equal(latency(' '), '--latency: must be a number, got " "');
  for (const [text, n] of [['0.5', 0.5], ['.5', 0.5], ['5.', 5], ['-3', -3], ['+2', 2], ['1e-3', 0.001], ['2E2', 200]] as const) assert.equal(numberOption(text, 'latency'), n, text);
});

test('a mistyped command names the closest one, as a mistyped flag does', () => {
  const names = ['run', 'compare', 'validate', 'init', 'sim', 'help', '--help', '-h', 'version', '--version', '-V'];
  assert.equal(unknownCommandText('rnu', names), 'unknown command "rnu" (did you mean run?)');
  assert.equal(unknownCommandText('Run', names), 'unknown command "Run" (did you mean run?)');
  assert.equal(unknownCommandText('comapre', names), 'unknown command "comapre" (did you mean compare?)');
  assert.equal(unknownCommandText('valiate', names), 'unknown command "valiate" (did you mean validate?)');
  assert.equal(unknownCommandText('--verison', names), 'unknown command "--verison" (did you mean --version?)');
  assert.equal(unknownCommandText('hlep', names), 'unknown command "hlep" (did you mean help?)');
  // Far from every command, or two edits on a short name: named alone.
  assert.equal(unknownCommandText('train', names), 'unknown command "train"');
  assert.equal(unknownCommandText('rm', names), 'unknown command "rm"');
});
