import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { concurrencyNotes, loadConfigFile, searchNotes, ValidationError, type Problem, type ToaConfig } from '../core/config';
import { fieldLocator } from '../core/config/field-line';
import type { OutputSinks } from '../core/curation';
import { outputCollisions, type NamedFile } from '../core/dataset/output-collisions';
import { createPooledFetch } from '../core/http/pooled-fetch';
import { createModels, type RunModels } from '../core/models';
import type { RewardModel } from '../core/rewards/types';
import type { ChatAgent, RetryNotice } from '../core/agents';
import type { StrategyName } from '../shared/tree';
import { keyRoutes, unencryptedKeyWarnings } from './config-reach';

/** What `run` and `compare` share: a validated config, its agents and reward model, keys from env. */
export interface CliSession {
  config: ToaConfig;
  configFile: string;
  agents: ChatAgent[];
  reward: RewardModel;
  notes: string[];
  /** Said before any call: keys sent unencrypted (see config-reach.ts). */
  warnings: string[];
}

/** `strategies`: those that will search (a comparison's several), whose notes the session holds; default the config's. */
export async function openSession(configFile: string, overrides: Partial<ToaConfig['search']>, onRetry: (n: RetryNotice) => void, strategies?: readonly StrategyName[]): Promise<CliSession> {
  const loaded = await loadCliConfig(configFile);
  const config: ToaConfig = { ...loaded, search: { ...loaded.search, ...definedOnly(overrides) } };
  const missing = missingKeys(config, configFile);
  if (missing.length) throw new ValidationError(missing);
  const { agents, reward } = cliModels(config, configFile, onRetry);
  return { config, configFile, agents, reward, notes: [...searchNotes(config, strategies), ...concurrencyNotes(config)], warnings: unencryptedKeyWarnings(config) };
}

/** The config's agents and reward model, with keys from the environment; a command reward runs beside the config file. */
export function cliModels(config: ToaConfig, configFile: string, onRetry: (n: RetryNotice) => void): RunModels {
  // No apiKeyEnv, no key: a variable is read only when the config names it.
  const env = (name: string | undefined): string | undefined => (name ? process.env[name] : undefined);
  return createModels(config, { apiKeyFor: (_name, agent) => env(agent.apiKeyEnv), rewardKey: env, fetch: createPooledFetch(), onRetry, cwd: dirname(resolve(configFile)) });
}

/** The config, validated; a path that names no file says how to write one there. */
export function loadCliConfig(file: string): Promise<ToaConfig> {
  return loadConfigFile(file, { ifMissing: `check the path, or write a starter config there with: toa init -c ${shellWord(file)}` });
}

/** A path as a shell command line takes it: quoted when it holds a space or another character the shell reads. */
function shellWord(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * Every agent or reward that names a key variable the environment lacks, or holds a key no request
 * could carry, all at once, at its config line.
 */
export function missingKeys(config: ToaConfig, file: string): Problem[] {
  const problems: Problem[] = keyRoutes(config).flatMap((route) => {
    const why = keyProblem(process.env[route.env]);
    return why === undefined ? [] : [{ file, path: route.path, message: `environment variable ${route.env} ${why}` }];
  });
  return atConfigLines(file, problems);
}

/** Spaces, tabs and line breaks around a header's value, which fetch drops: a key read from a file with its newline is sent without it. */
const HEADER_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * Why a key variable's value cannot be sent; undefined when it can. A character an HTTP header
 * cannot carry (beyond Latin-1: a byte order mark from a key file saved by an editor, a dash a
 * formatted page turned typographic; or a line break inside it) fails every call before it is
 * sent, which the retries would take for a connection problem, prompt after prompt. The message
 * says where the character is, never the key.
 */
function keyProblem(value: string | undefined): string | undefined {
  if (value === undefined) return 'is not set';
  if (value === '') return 'is set but empty';
  const key = value.replace(HEADER_WHITESPACE, '');
  if (key === '') return 'holds only spaces or line breaks';
  const chars = [...key];
  const at = chars.findIndex((ch) => ch.codePointAt(0)! > 0xff || ch === '\0' || ch === '\n' || ch === '\r');
  if (at < 0) return undefined;
  const code = chars[at]!.codePointAt(0)!;
  const name = code === 0xfeff ? ' (a byte order mark)' : '';
  return `holds U+${code.toString(16).toUpperCase().padStart(4, '0')}${name} at character ${at + 1}, which an HTTP header cannot carry, so every call would fail: set it again without it`;
}

/** Outputs must be three files, none of them the input (see outputCollisions). */
export function checkOutputPaths(configFile: string, paths: Record<keyof OutputSinks, string>, input?: string): void {
  const named = (kind: keyof OutputSinks): NamedFile => ({ path: paths[kind], field: `output.${kind}` });
  const collisions = outputCollisions({ sft: named('sft'), preference: named('preference'), trace: named('trace') }, input === undefined ? undefined : { path: input, field: 'the input file' });
  const problems: Problem[] = collisions.map((c) => ({ file: configFile, path: `output.${c.kind}`, message: c.message }));
  if (problems.length) throw new ValidationError(atConfigLines(configFile, problems));
}

/**
 * Problems the schema cannot see (a key missing from the environment, outputs that collide) get the
 * line of their field, as schema problems do, so the terminal links to it. The config was just
 * loaded, so the file reads; should it not, the problems keep their file and field.
 */
function atConfigLines(file: string, problems: Problem[]): Problem[] {
  if (!problems.length) return problems;
  let locate: (path: string) => number | undefined;
  try {
    locate = fieldLocator(readFileSync(file, 'utf8'));
  } catch {
    return problems;
  }
  return problems.map((p) => ({ ...p, line: locate(p.path) }));
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * What chose each output's path, for its errors: the config's field, said with --out-dir when the
 * flag moved it (a relative path), as a user who typed --out-dir would look there first.
 */
export function outputFieldsOf(output: ToaConfig['output'], outDir?: string): Record<keyof OutputSinks, string> {
  const field = (kind: keyof OutputSinks): string => (outDir && !isAbsolute(output[kind]) ? `output.${kind} under --out-dir` : `output.${kind}`);
  return { sft: field('sft'), preference: field('preference'), trace: field('trace') };
}

/** Output paths: relative ones resolve against --out-dir if given, else the config file's folder. */
export function outputPaths(configFile: string, output: ToaConfig['output'], outDir?: string): Record<keyof OutputSinks, string> {
  const at = (path: string): string => (isAbsolute(path) ? path : outDir ? join(resolve(outDir), path) : join(dirname(resolve(configFile)), path));
  return { sft: at(output.sft), preference: at(output.preference), trace: at(output.trace) };
}
