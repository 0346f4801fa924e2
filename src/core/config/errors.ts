import type { z } from 'zod';
import { count, plural } from '../../shared/plural';
import { isRecord } from '../util/is-record';
import { knownFields, unknownFieldNote } from './field-suggestion';

/** A problem in user input, located precisely enough to fix without a stack trace. */
export interface Problem {
  /** File the problem is in, when it came from one. */
  file?: string;
  /** 1-based line, for JSONL inputs. */
  line?: number;
  /** 1-based column on that line where the problem is, when one is known (a JSON syntax error). */
  column?: number;
  /** Field path, e.g. `agents[2].baseURL`. */
  path: string;
  message: string;
  /**
   * Set on a problem that sums up this many problems not listed (a file with thousands of bad
   * rows lists the first ones only, see MAX_PROBLEMS), so counts say how many were found.
   */
  omitted?: number;
}

export class ValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ValidationError';
  }

  /** Every problem found, those a summing-up problem stands for included. */
  get count(): number {
    return this.problems.reduce((n, p) => n + (p.omitted ?? 1), 0);
  }
}

/** `data/in.jsonl:17: messages[1].role: ...` (the form terminals and editors turn into links), or `line 17: ...` without a file. */
export function formatProblem(p: Problem): string {
  const line = p.line === undefined ? undefined : p.file ? String(p.line) : `line ${p.line}`;
  const where = [p.file, line].filter(Boolean).join(':');
  const field = p.path ? `${p.path}: ` : '';
  return `${where ? `${where}: ` : ''}${field}${p.message}`;
}

/** The problem with its line, when there is one. */
export function located(problem: Problem, line: number | undefined): Problem {
  return line === undefined ? problem : { ...problem, line };
}

/** `['agents', 2, 'baseURL']` -> `agents[2].baseURL`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * `locate` gives a problem's line in the file; an unknown field is placed at its own key.
 * `schema`, the one that reported `error`, knows the fields an unknown one may be a misspelling of.
 */
export function zodProblems(error: z.ZodError, file?: string, locate?: (path: string) => number | undefined, schema?: z.ZodType): Problem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const at = issue.code === 'unrecognized_keys' ? formatPath([...issue.path, issue.keys[0]!]) : path;
    const message = issue.code === 'unrecognized_keys' ? unknownFields(issue, schema) : plainMessage(issue);
    return located({ file, path, message }, locate?.(at));
  });
}

/** `unknown fields "max_token" (did you mean "max_tokens"?), "foo"`. */
function unknownFields(issue: z.core.$ZodIssueUnrecognizedKeys, schema: z.ZodType | undefined): string {
  const known = schema ? knownFields(schema, issue.path, issue.input) : [];
  const present = isRecord(issue.input) ? Object.keys(issue.input) : [];
  const named = issue.keys.map((key) => {
    const note = unknownFieldNote(key, known, present);
    return `"${key}"${note === undefined ? '' : ` (${note})`}`;
  });
  return `unknown ${plural(issue.keys.length, 'field')} ${named.join(', ')}`;
}

const KINDS: Record<string, string> = { int: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object', record: 'an object' };

/** Zod's issue in the words of a settings file's reader ("must be at least 1", not "Too small: expected number to be >0"). */
function plainMessage(issue: z.core.$ZodIssue): string {
  const oneOf = (values: readonly unknown[]): string => `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined/.test(issue.message)) return 'is required';
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return `must be ${KINDS[issue.expected] ?? issue.expected}${received && received !== 'number' ? `, not ${received === 'string' ? 'text' : received}` : ''}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${count(Number(issue.minimum), 'item')}`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${count(Number(issue.maximum), 'item')}`;
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case 'invalid_value':
      return absent(issue) ? `is required: ${oneOf(issue.values).replace('must be ', '')}` : oneOf(issue.values);
    case 'invalid_union':
      if (!('options' in issue && Array.isArray(issue.options))) return issue.message;
      return absent(issue) ? `is required: ${oneOf(issue.options).replace('must be ', '')}` : oneOf(issue.options);
    default:
      return issue.message;
  }
}

/**
 * Whether the field was not set at all: zod reports a missing enum (`reward.check`) or union
 * discriminator (`reward.type`) as a value that is not one of the choices. Known only when the
 * parse reported its input; a discriminator's input is the object that lacks it.
 */
function absent(issue: z.core.$ZodIssue): boolean {
  if (!('input' in issue)) return false;
  if ('discriminator' in issue && typeof issue.discriminator === 'string') {
    return typeof issue.input === 'object' && issue.input !== null && !Object.hasOwn(issue.input, issue.discriminator);
  }
  return issue.input === undefined;
}
