import { statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isStarterProvider, STARTER_PROVIDER_NAMES, STARTER_PROVIDERS, starterConfigText, type StarterProvider } from '../core/config';
import { fileErrorText } from '../core/util/file-error';
import { parse, pathOption, UsageError } from './args';
import { initOptions } from './command-options';
import { shellWord } from './shell-word';

const DEFAULT_PROVIDERS: StarterProvider[] = ['openai', 'ollama'];

/** `toa init`: writes a starter config for real endpoints; never overwrites a file. */
export async function initCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, initOptions);
  const file = pathOption(values.config, 'config') ?? 'toa.config.json';
  const providers = providerList(values.providers);
  // A config for a folder not made yet (`-c experiments/a/toa.config.json`) makes it, as editors do.
  await mkdir(dirname(file), { recursive: true }).catch(() => undefined);
  // 'wx' fails if the file exists, atomically: a config the user already has is never replaced.
  const handle = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => {
    throw new Error(notWritten(file, error));
  });
  try {
    await handle.writeFile(starterConfigText(providers));
  } finally {
    await handle.close();
  }
  process.stdout.write(`wrote ${file}: ${providers.map((p) => `"${p}" (${STARTER_PROVIDERS[p].model})`).join(', ')}, scored by an LLM judge on "${providers[0]}"\n`);
  const keys = providers.flatMap((p) => STARTER_PROVIDERS[p].apiKeyEnv ?? []);
  if (keys.length) process.stdout.write(`set ${keys.join(' and ')} in the environment; then check the file with: toa validate -c ${shellWord(file)}\n`);
  else process.stdout.write(`check it with: toa validate -c ${shellWord(file)}\n`);
  return 0;
}

/**
 * Why the starter config was not written, in words, as a config that cannot be read says it
 * (Node's `ENOTDIR: not a directory, open 'x/toa.config.json'` speaks in system calls). A folder
 * "exists" too, but editing it is no advice: the file to write goes in it.
 */
function notWritten(file: string, error: NodeJS.ErrnoException): string {
  if (error.code !== 'EEXIST') return `${file}: ${fileErrorText(error, 'write')}`;
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) return `${file}: is a folder; name the file to write in it, e.g. --config ${shellWord(join(file, 'toa.config.json'))}`;
  return `${file} already exists; edit it, or name another file with --config`;
}

function providerList(value: string | undefined): StarterProvider[] {
  if (value === undefined) return DEFAULT_PROVIDERS;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isStarterProvider(n));
  if (unknown.length || names.length === 0) throw new UsageError(`--providers: ${unknown.length ? `unknown "${unknown.join('", "')}"; ` : ''}choose from ${STARTER_PROVIDER_NAMES.join(', ')}`);
  // A provider named twice is one agent in the file: the message must not list it (or its key) twice.
  return [...new Set(names.filter(isStarterProvider))];
}
