import type { z } from 'zod';

/** A problem in user input, located precisely enough to fix without a stack trace. */
export interface Problem {
  /** File the problem is in, when it came from one. */
  file?: string;
  /** 1-based line, for JSONL inputs. */
  line?: number;
  /** Field path, e.g. `agents[2].baseURL`. */
  path: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ValidationError';
  }
}

/** `data/in.jsonl:17: messages[1].role: ...` (the form terminals and editors turn into links), or `line 17: ...` without a file. */
export function formatProblem(p: Problem): string {
  const line = p.line === undefined ? undefined : p.file ? String(p.line) : `line ${p.line}`;
  const where = [p.file, line].filter(Boolean).join(':');
  const field = p.path ? `${p.path}: ` : '';
  return `${where ? `${where}: ` : ''}${field}${p.message}`;
}

/** `['agents', 2, 'baseURL']` -> `agents[2].baseURL`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

export function zodProblems(error: z.ZodError, file?: string): Problem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) message = 'must not be empty';
    if (issue.code === 'invalid_value' && 'values' in issue) message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    return { file, path: formatPath(issue.path), message };
  });
}
