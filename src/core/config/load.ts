import { readFile } from 'node:fs/promises';
import { configSchema, type ToaConfig } from './schema';
import { ValidationError, zodProblems, type Problem } from './errors';

/**
 * Validates parsed JSON as a run config. Cross-field rules that a schema cannot state
 * (unique agent names, `search.agent` naming an agent) are checked here too, so every
 * problem comes back at once.
 */
export function parseConfig(raw: unknown, file?: string): ToaConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error, file));
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
  if (problems.length) throw new ValidationError(problems);
  return config;
}

/** Parses config text; JSON syntax errors are reported with line and column. */
export function parseConfigText(text: string, file?: string): ToaConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ValidationError([{ file, path: '', message: `invalid JSON: ${jsonErrorWhere(text, error)}` }]);
  }
  return parseConfig(raw, file);
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

/** Turns V8's "at position N" into "line L column C". */
function jsonErrorWhere(text: string, error: unknown): string {
  const message = (error as Error).message;
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line} column ${column})`;
}
