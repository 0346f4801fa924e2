import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareOptions, initOptions, runOptions, simOptions, validateOptions } from '../../../src/cli/command-options';
import { HELP } from '../../../src/cli/help';
import { flags, section, tables } from './markdown';
import { readme } from './repo-files';

/** The README's CLI section against `toa --help` (the text main.ts prints for --help and -h). */

/** Every command's block of the help: its usage line and the indented lines under it. */
function helpBlocks(): Map<string, string> {
  const out = new Map<string, string>();
  let command: string | undefined;
  for (const line of HELP.split('\n')) {
    const usage = /^ {2}toa (\w+)/.exec(line)?.[1];
    if (usage) out.set((command = usage), line);
    else if (command && line.startsWith('    ')) out.set(command, `${out.get(command)}\n${line}`);
    else command = undefined;
  }
  return out;
}

const cliSection = (): string => section(readme(), '## The CLI');

function commandTable(): Map<string, string> {
  const table = tables(cliSection()).find((t) => t.header[0] === 'command' && t.header.includes('options'));
  assert.ok(table, 'a table headed | command | ... | options |');
  return new Map(table.rows.map((row) => [/^`toa (\w+)`$/.exec(row[0]!)?.[1] ?? row[0]!, row.slice(1).join(' | ')]));
}

/** What each command's parser accepts, as flags: `--name`, and `-x` for a short form. */
const parsed: Record<string, Record<string, { type: string; short?: string }>> = { run: runOptions, compare: compareOptions, validate: validateOptions, init: initOptions, sim: simOptions };

test('the help shows exactly the options each command accepts', () => {
  assert.deepEqual([...helpBlocks().keys()].sort(), Object.keys(parsed).sort());
  for (const [command, options] of Object.entries(parsed)) {
    const accepted = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    assert.deepEqual([...flags(helpBlocks().get(command) ?? '')].sort(), accepted.sort(), `toa ${command}`);
  }
});

test('the README has a row for every command of the help, and no other', () => {
  assert.deepEqual([...commandTable().keys()].sort(), [...helpBlocks().keys()].sort());
});

test("each command's row names exactly the options its help shows", () => {
  const rows = commandTable();
  for (const [command, block] of helpBlocks()) {
    assert.deepEqual([...flags(rows.get(command) ?? '')].sort(), [...flags(block)].sort(), `toa ${command}`);
  }
});

test('every option the CLI section mentions, in prose or examples, is in the help', () => {
  // --help and -h are read by main.ts for every command.
  const known = new Set([...flags(HELP), '--help', '-h']);
  const unknown = [...flags(cliSection())].filter((flag) => !known.has(flag));
  assert.deepEqual(unknown, []);
});
