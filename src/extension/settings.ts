import { jsonExcerpt } from '../core/util/excerpt';
import { STRATEGIES, STRATEGY_TITLES, type StrategyName } from '../shared/tree';

/**
 * Every TOA Studio setting, declared once: package.json's `contributes.configuration` is
 * generated from this table (scripts/sync-manifest.ts) and a unit test keeps the two equal.
 * Settings that are null (or an empty output path) fall back to the workspace's toa.config.json.
 * (No `vscode` import here, so the table and its parser are unit-tested in plain Node.)
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface Declaration<T> {
  default: T;
  /** JSON Schema of the value (VS Code's settings dialect), without description and default. */
  schema: { [key: string]: Json };
  description: string;
  /** What a valid value is, for the message that refuses one: "must be ...". */
  expects: string;
  /** The config file's field a null (or empty) value leaves the choice to; said as what the default means. */
  fromConfig?: string;
  /** Restricted Mode ignores workspace values of these (see capabilities in package.json). */
  restricted?: boolean;
  /** `resource`: each folder of a multi-root workspace may set its own (VS Code's default is `window`). */
  scope?: 'resource';
  /** Narrows a raw settings value; undefined means invalid (the default is used). */
  parse(raw: unknown): T | undefined;
}

const nullable = <T>(check: (raw: unknown) => T | undefined) => (raw: unknown): T | null | undefined => (raw === null ? null : check(raw));
const aString = (raw: unknown): string | undefined => (typeof raw === 'string' && raw.trim() ? raw.trim() : undefined);
const aBoolean = (raw: unknown): boolean | undefined => (typeof raw === 'boolean' ? raw : undefined);
const aNumber = (raw: unknown): number | undefined => (typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined);
const aCount = (min: number, max = Infinity) => (raw: unknown): number | undefined => (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max ? raw : undefined);
const aStrategy = (raw: unknown): StrategyName | undefined => (STRATEGIES.includes(raw as StrategyName) ? (raw as StrategyName) : undefined);

/**
 * A path the Settings editor can edit: it shows a text box for `string`, but for
 * `["string", "null"]` only "Edit in settings.json". Empty means unset, as null did (and still
 * does, for settings.json files written before).
 */
const outputPath = (kind: 'sft' | 'preference' | 'trace', what: string): Declaration<string | null> => ({
  default: '',
  schema: { type: 'string' },
  description: `Path of the ${what} JSONL output, relative to the workspace folder (or absolute). Empty: \`output\` in toa.config.json (default under data/).`,
  expects: 'a path, or empty',
  fromConfig: `output.${kind}`,
  restricted: true,
  scope: 'resource',
  parse: (raw) => (raw === null || raw === '' ? null : aString(raw)),
});

export const SETTINGS = {
  configPath: {
    default: 'toa.config.json',
    schema: { type: 'string' },
    description: 'Workspace-relative path of the run configuration (agents, reward model, search, outputs). Without this file TOA Studio uses its built-in simulated endpoints.',
    expects: 'a path, not empty',
    restricted: true,
    parse: aString,
    scope: 'resource',
  } satisfies Declaration<string>,
  useSimulator: {
    default: false,
    schema: { type: 'boolean' },
    description: 'Send requests to the built-in simulated endpoints (offline, free) even when the configuration file names real endpoints. Its search, task, input and output sections still apply.',
    expects: 'true or false',
    parse: aBoolean,
    scope: 'resource',
  } satisfies Declaration<boolean>,
  'search.strategy': {
    default: null,
    // Labels, or the Settings editor's list shows a bare "null".
    schema: { type: ['string', 'null'], enum: [...STRATEGIES, null], enumItemLabels: [...STRATEGIES.map((s) => STRATEGY_TITLES[s]), 'From toa.config.json'] },
    description: 'Search strategy for runs. "From toa.config.json" (null): `search.strategy` in the configuration (default toa).',
    expects: `one of ${STRATEGIES.map((s) => JSON.stringify(s)).join(', ')}, or null`,
    fromConfig: 'search.strategy',
    parse: nullable(aStrategy),
    scope: 'resource',
  } satisfies Declaration<StrategyName | null>,
  'search.budget': {
    default: null,
    schema: { type: ['integer', 'null'], minimum: 1 },
    description: 'Plays per prompt (one model call and one reward call each). Empty (null): `search.budget` in the configuration.',
    expects: 'an integer of at least 1, or null',
    fromConfig: 'search.budget',
    parse: nullable(aCount(1)),
    scope: 'resource',
  } satisfies Declaration<number | null>,
  autoAcceptAbove: {
    default: null,
    schema: { type: ['number', 'string', 'null'], pattern: '^off$' },
    description:
      'Accept the best answer of a prompt automatically (SFT row plus preference pair) when its reward is at least this. "off": never, whatever the configuration says (curate every prompt by hand in the panel). Null: `output.autoAcceptAbove` in the configuration, else by hand.',
    expects: 'a number, "off", or null',
    fromConfig: 'output.autoAcceptAbove',
    parse: nullable((raw) => (raw === 'off' ? 'off' : aNumber(raw))),
    scope: 'resource',
  } satisfies Declaration<number | 'off' | null>,
  'output.sft': outputPath('sft', 'SFT'),
  'output.preference': outputPath('preference', 'preference-pair'),
  'output.trace': outputPath('trace', 'search-trace'),
  'simulator.latencyMs': {
    default: 150,
    schema: { type: 'integer', minimum: 0, maximum: 10000 },
    description: 'Latency of a simulated chat completion, in milliseconds (the built-in endpoints).',
    expects: 'an integer of at least 0 and at most 10000',
    parse: aCount(0, 10000),
  } satisfies Declaration<number>,
  codeLens: {
    default: true,
    schema: { type: 'boolean' },
    description: 'Show "Synthesize" and "Show tree" above each prompt row of JSONL files.',
    expects: 'true or false',
    parse: aBoolean,
  } satisfies Declaration<boolean>,
};

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: Exclude<ReturnType<(typeof SETTINGS)[K]['parse']>, undefined> };

export const SETTINGS_SECTION = 'toaStudio';

/** Reads every setting through `get` (e.g. a WorkspaceConfiguration); invalid values fall back to defaults. */
export function readSettings(get: (key: SettingKey) => unknown, onInvalid?: (key: SettingKey, raw: unknown) => void): Settings {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const declaration: Declaration<unknown> = SETTINGS[key];
    const raw = get(key);
    // Parsed too: an output path's default is '', which means null (unset).
    const fallback = declaration.parse(declaration.default);
    const value = raw === undefined ? fallback : declaration.parse(raw);
    if (raw !== undefined && value === undefined) onInvalid?.(key, raw);
    out[key] = value === undefined ? fallback : value;
  }
  return out as Settings;
}

/**
 * What the user is told of a value readSettings refused: what a valid one is, and what stands in
 * for it. `folder`: the folder whose settings hold it, in a multi-root workspace.
 */
export function invalidSettingText(key: SettingKey, raw: unknown, folder?: string): string {
  const declaration: Declaration<unknown> = SETTINGS[key];
  const fallback = declaration.fromConfig ? `the configuration file's ${declaration.fromConfig}` : JSON.stringify(declaration.default);
  const where = folder === undefined ? '' : ` (folder ${folder})`;
  return `Setting ${SETTINGS_SECTION}.${key}${where}: ${jsonExcerpt(raw, 60)} is not valid (must be ${declaration.expects}); using the default (${fallback}).`;
}

/** Whether each folder of a multi-root workspace may set its own value (`resource` scope). */
export function perFolder(key: SettingKey): boolean {
  const declaration: Declaration<unknown> = SETTINGS[key];
  return declaration.scope === 'resource';
}

/** `contributes.configuration` for package.json. */
export function configurationContribution(): { title: string; properties: Record<string, Json> } {
  const properties: Record<string, Json> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const declaration: Declaration<unknown> = SETTINGS[key];
    const { schema, description, default: fallback, scope } = declaration;
    properties[`${SETTINGS_SECTION}.${key}`] = { ...schema, default: fallback as Json, markdownDescription: description, ...(scope ? { scope } : {}) };
  }
  return { title: 'TOA Studio', properties };
}

/** Settings Restricted Mode must not take from the workspace (they choose files to read or write). */
export function restrictedSettings(): string[] {
  return (Object.keys(SETTINGS) as SettingKey[]).filter((key) => 'restricted' in SETTINGS[key] && SETTINGS[key].restricted).map((key) => `${SETTINGS_SECTION}.${key}`);
}
