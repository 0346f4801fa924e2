import { readFile } from 'node:fs/promises';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { jsonSyntaxError } from './json-syntax';
import { configSchema, type ToaConfig } from './schema';
import { located, ValidationError, zodProblems, type Problem } from './errors';
import { fieldLocator, lineAt, type FieldLocator } from './field-line';
import { stripBom } from '../dataset/file-lines';
import { parseJsonPath } from '../rewards/json-path';
import { templateProblem } from '../templates/resolve';

/**
 * Validates parsed JSON as a run config. Cross-field rules that a schema cannot state (unique
 * agent names, `search.agent` naming an agent, one preference-pair rule, a judge's score range,
 * classify-only reward fields) and the texts that need a parser of their own (templates'
 * placeholders, a score path) are checked here too, once the schema holds: they read typed
 * fields. Each stage reports all its problems at once, from `toa validate` as from a run.
 */
export function parseConfig(raw: unknown, file?: string, locate?: FieldLocator): ToaConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error, file, locate));
  const config = parsed.data;
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  config.agents.forEach((agent, i) => {
    const first = seen.get(agent.name);
    if (first !== undefined) problems.push({ file, path: `agents[${i}].name`, message: `duplicate agent name "${agent.name}" (also agents[${first}])` });
    seen.set(agent.name, i);
  });
  const single = config.search.agent;
  if (single !== undefined && !seen.has(single)) {
    problems.push({ file, path: 'search.agent', message: `no agent named "${single}" (agents: ${[...seen.keys()].join(', ')})` });
  }
  // The pair takes one rule: with both set, the margin would silently overrule the rank.
  if (config.output.preferenceRank !== undefined && config.output.preferenceMargin !== undefined) {
    problems.push({ file, path: 'output.preferenceMargin', message: 'set either output.preferenceRank or output.preferenceMargin, not both' });
  }
  if (config.reward.type === 'judge' && !(config.reward.max > config.reward.min)) {
    problems.push({ file, path: 'reward.max', message: `must be greater than reward.min (${config.reward.min})` });
  }
  // /pooling has no classes and no activation to switch: the fields would be ignored without a word.
  if (config.reward.type === 'vllm' && config.reward.endpoint === 'pooling') {
    for (const field of ['activation', 'classIndex'] as const) {
      if (config.reward[field] !== undefined) problems.push({ file, path: `reward.${field}`, message: 'applies to "endpoint": "classify" only' });
    }
  }
  problems.push(...textProblems(config).map((p) => ({ ...p, file })));
  if (problems.length) throw new ValidationError(problems.map((p) => located(p, locate?.(p.path))));
  return config;
}

/** Template overrides without the placeholders they need, and a score path that does not parse. */
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
    throw new ValidationError(errors.map((e) => ({ file, line: lineAt(body, e.offset), path: '', message: `invalid JSON: ${jsonSyntaxError(e.error)} at column ${column(body, e.offset)}` })));
  }
  return parseConfig(raw, file, fieldLocator(body));
}

export async function loadConfigFile(file: string): Promise<ToaConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError([{ file, path: '', message: `cannot read config: ${(error as Error).message}` }]);
  }
  return parseConfigText(text, file);
}

function column(text: string, offset: number): number {
  return offset - text.slice(0, offset).lastIndexOf('\n');
}
