import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { jsonSyntaxError } from './json-syntax';
import { configSchema, type ToaConfig } from './schema';
import { located, ValidationError, zodProblems, type Problem } from './errors';
import { fieldLocator, lineAt, type FieldLocator } from './field-line';
import { rewardTypeHint } from './reward-type-hint';
import { firstNonUtf8Line, stripBom } from '../dataset/file-lines';
import { bodyTemplateProblems } from '../rewards/body-template';
import { parseJsonPath } from '../rewards/json-path';
import { templateProblem } from '../templates/resolve';
import { fileErrorText, isMissingFile } from '../util/file-error';
import { isRecord } from '../util/is-record';

/**
 * Validates parsed JSON as a run config. Cross-field rules that a schema cannot state (unique
 * agent names, `search.agent` naming an agent, one preference-pair rule, the classify-only reward
 * activation, a judge's score range) and the texts that need a parser of their own (templates'
 * placeholders, a score path) are checked here too, so problems come back together, from
 * `toa validate` as from a run. The rules on fields without defaults also read the raw JSON, so
 * a schema error elsewhere does not hide them; the rest need the typed config.
 */
export function parseConfig(raw: unknown, file?: string, locate?: FieldLocator): ToaConfig {
  // reportInput: a missing enum or `type` is reported as a wrong value; its input tells the two apart (errors.ts).
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  const at = (problems: Problem[]): Problem[] => problems.map((p) => located({ ...p, file }, locate?.(p.path)));
  const crossField = at([...crossFieldProblems(parsed.success ? parsed.data : raw), ...tokenLimitProblems(raw)]);
  if (!parsed.success) throw new ValidationError([...withRewardTypeHint(zodProblems(parsed.error, file, locate, configSchema), raw), ...crossField]);
  const config = parsed.data;
  const problems = [...crossField, ...at(typedProblems(config))];
  if (problems.length) throw new ValidationError(problems);
  return config;
}

/** A reward type that names a reference check says how to ask for that check. */
function withRewardTypeHint(problems: Problem[], raw: unknown): Problem[] {
  const hint = rewardTypeHint(fields(fields(raw).reward).type);
  return hint === undefined ? problems : problems.map((p) => (p.path === 'reward.type' ? { ...p, message: `${p.message}; ${hint}` } : p));
}

/** Rules that read only fields without defaults: they hold for raw JSON as for a parsed config. */
function crossFieldProblems(config: unknown): Problem[] {
  const problems: Problem[] = [];
  const root = fields(config);
  const agents = Array.isArray(root.agents) ? root.agents.map((a) => fields(a).name) : [];
  const seen = new Map<string, number>();
  agents.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first !== undefined) problems.push({ path: `agents[${i}].name`, message: `duplicate agent name "${name}" (also agents[${first}])` });
    seen.set(name, i);
  });
  const single = fields(root.search).agent;
  // With an agent's name itself invalid, which agents exist is not known yet.
  if (typeof single === 'string' && !seen.has(single) && agents.every((name) => typeof name === 'string')) {
    problems.push({ path: 'search.agent', message: `no agent named "${single}" (agents: ${[...seen.keys()].join(', ')})` });
  }
  // The pair takes one rule: with both set, the margin would silently overrule the rank.
  const output = fields(root.output);
  if (output.preferenceRank !== undefined && output.preferenceMargin !== undefined) {
    problems.push({ path: 'output.preferenceMargin', message: 'set either output.preferenceRank or output.preferenceMargin, not both' });
  }
  // /pooling is not sent use_activation (some of its tasks reject it): activation would be
  // ignored without a word. classIndex applies there too, to rows with several values.
  const reward = fields(root.reward);
  if (reward.type === 'vllm' && reward.endpoint === 'pooling' && reward.activation !== undefined) {
    problems.push({ path: 'reward.activation', message: 'applies to "endpoint": "classify" only' });
  }
  return problems;
}

/**
 * One token limit, under one name: with both, which one the server obeys would be a guess. Read
 * from the raw JSON, where max_tokens has not been given its default.
 */
function tokenLimitProblems(raw: unknown): Problem[] {
  const root = fields(raw);
  const sections = Array.isArray(root.agents) ? root.agents.map((a, i) => ({ at: `agents[${i}]`, section: fields(a) })) : [];
  sections.push({ at: 'reward', section: fields(root.reward) });
  return sections
    .filter(({ section }) => section.max_tokens !== undefined && section.max_completion_tokens !== undefined)
    .map(({ at }) => ({ path: `${at}.max_completion_tokens`, message: `set either ${at}.max_tokens or ${at}.max_completion_tokens, not both` }));
}

function fields(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Rules that need the schema's defaults (a judge's range) or its types (templates, a score path). */
function typedProblems(config: ToaConfig): Problem[] {
  const problems: Problem[] = [];
  if (config.reward.type === 'judge' && !(config.reward.max > config.reward.min)) {
    problems.push({ path: 'reward.max', message: `must be greater than reward.min (${config.reward.min})` });
  }
  return [...problems, ...textProblems(config)];
}

/** Template overrides without the placeholders they need, an HTTP body's placeholders, and a score path that does not parse. */
function textProblems(config: ToaConfig): Problem[] {
  const problems: Problem[] = [];
  const templates = config.task.templates ?? {};
  for (const kind of Object.keys(templates) as Array<keyof typeof templates>) {
    const template = templates[kind];
    const problem = template === undefined ? undefined : templateProblem(`task.templates.${kind}`, template, kind);
    if (problem) problems.push(problem);
  }
  const reward = config.reward;
  if (reward.type === 'judge' && reward.template !== undefined) {
    const problem = templateProblem('reward.template', reward.template, 'judge');
    if (problem) problems.push(problem);
  }
  if (reward.type === 'http') {
    problems.push(...bodyTemplateProblems(reward.bodyTemplate));
    try {
      parseJsonPath(reward.scorePath);
    } catch (error) {
      problems.push({ path: 'reward.scorePath', message: (error as Error).message });
    }
  }
  return problems;
}

/**
 * Parses config text. jsonc-parser (the parser VS Code itself uses) reports every syntax error
 * with its offset, which V8's JSON.parse does not always do, and accepts comments, as VS Code's
 * own settings files do (trailing commas too, as they do).
 */
export function parseConfigText(text: string, file?: string): ToaConfig {
  const errors: ParseError[] = [];
  // A byte-order mark (Windows Notepad writes one) is not JSON, but is no reason to refuse the file.
  const body = stripBom(text);
  const raw: unknown = parseJsonc(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    // The parser's recovery reports several expectations at one spot (a property name, a value,
    // a '}'); the last is the outermost, the one to fix.
    const outermost = [...new Map(errors.map((e) => [e.offset, e])).values()];
    throw new ValidationError(
      outermost.map((e) => ({ file, line: lineAt(body, e.offset), column: column(body, e.offset), path: '', message: `invalid JSON: ${jsonSyntaxError(e.error)} ${e.offset >= body.length ? 'at the end of the file' : `at column ${column(body, e.offset)}`}` })),
    );
  }
  return parseConfig(raw, file, fieldLocator(body));
}

/** `ifMissing`: what to do about a file that does not exist, said after `no such file`. */
export async function loadConfigFile(file: string, opts: { ifMissing?: string } = {}): Promise<ToaConfig> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const advice = opts.ifMissing !== undefined && isMissingFile(error) ? `; ${opts.ifMissing}` : '';
    throw new ValidationError([{ file, path: '', message: `${fileErrorText(error)}${advice}` }]);
  }
  return parseConfigBytes(bytes, file);
}

/** parseConfigText of a file's bytes, which must be UTF-8 (the CLI's read and the extension's alike). */
export function parseConfigBytes(bytes: Uint8Array, file?: string): ToaConfig {
  return parseConfigText(utf8Text(bytes, file), file);
}

/**
 * The file's text. Read leniently, a file saved as Latin-1 would have its bytes turned into U+FFFD,
 * reported as a wrong value if at all, and one saved as UTF-16 (Windows PowerShell's `>` writes it)
 * as a syntax error at every other character, hundreds of them: the line is named instead, as the
 * input reader names it.
 */
function utf8Text(bytes: Uint8Array, file: string | undefined): string {
  if (isUtf8(bytes)) return new TextDecoder().decode(bytes);
  throw new ValidationError([{ file, line: firstNonUtf8Line(bytes), path: '', message: 'is not valid UTF-8 text: save it as UTF-8' }]);
}

function column(text: string, offset: number): number {
  return offset - text.slice(0, offset).lastIndexOf('\n');
}
