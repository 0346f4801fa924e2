import { ValidationError } from '../core/config';
import { unknownCommandText, UsageError } from './args';
import { compareCommand } from './compare-command';
import { HELP } from './help';
import { initCommand } from './init-command';
import { tuneHeapForBatch } from './heap';
import { runCommand } from './run-command';
import { simCommand } from './sim-command';
import { validateCommand } from './validate-command';
import { count } from '../shared/plural';
import { TOA_VERSION } from '../core/version';

/** The commands that stream a dataset through the search: long batch runs. */
const BATCH_COMMANDS = new Set(['run', 'compare']);

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  compare: compareCommand,
  validate: validateCommand,
  init: initCommand,
  sim: simCommand,
};

/** What prints the help, and the version, in place of a command. */
const HELP_NAMES = ['help', '--help', '-h'];
const VERSION_NAMES = ['version', '--version', '-V'];

/** Bad input is the user's to fix: print what and where, never a stack trace. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || HELP_NAMES.includes(name)) {
    process.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  if (VERSION_NAMES.includes(name)) {
    process.stdout.write(`toa ${TOA_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`toa: ${unknownCommandText(name, [...Object.keys(commands), ...HELP_NAMES, ...VERSION_NAMES])}\n\n${HELP}\n`);
    return 2;
  }
  // `toa run --help` and the like: the help, not a usage error about an unknown option.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (BATCH_COMMANDS.has(name)) tuneHeapForBatch();
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`toa ${name}: ${count(error.count, 'problem')}:\n${error.message.replace(/^/gm, '  ')}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`toa ${name}: ${error.message}\n(see toa --help)\n`);
      return 2;
    }
    process.stderr.write(`toa ${name}: ${(error as Error).message}\n`);
    if (process.env.TOA_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

/**
 * A reader that stopped reading (`toa validate ... | head -1`) closes the pipe: what is left to say
 * has nowhere to go, which is no error of the command's (its exit code stands). Unhandled, the
 * write's EPIPE ended the process with a stack trace and exit code 1.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`toa: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
