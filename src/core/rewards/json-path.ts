import { isRecord } from '../util/is-record';
/**
 * A small JSONPath subset for reading a score out of a reply: `$`, `.name`, `[0]`, `['name']`
 * or `["name"]` (the leading `$` may be left out). Enough for every reward API we have seen; the
 * full JSONPath (filters, wildcards) could return several values, and a score is one number.
 */
export type PathStep = string | number;

const STEP = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** Parses a path; throws an Error naming the position of the first thing it cannot read. */
export function parseJsonPath(path: string): PathStep[] {
  const text = path.trim();
  const rest = text.startsWith('$') ? text.slice(1) : text.startsWith('[') ? text : `.${text}`;
  const steps: PathStep[] = [];
  STEP.lastIndex = 0;
  while (STEP.lastIndex < rest.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(rest);
    if (!m) throw new Error(`cannot read JSON path "${path}" at "${rest.slice(at)}" (supported: $.a.b[0]['c'])`);
    steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
  }
  return steps;
}

export function formatJsonPath(steps: readonly PathStep[]): string {
  return `$${steps.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('')}`;
}

export type PathResult = { found: true; value: unknown } | { found: false; missing: string };

/** The value at `steps`, or the shortest prefix of the path that has nothing at it. */
export function valueAt(root: unknown, steps: readonly PathStep[]): PathResult {
  let value = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const container = typeof step === 'number' ? (Array.isArray(value) ? value : undefined) : isRecord(value) ? value : undefined;
    if (container === undefined || !Object.hasOwn(container, step)) return { found: false, missing: formatJsonPath(steps.slice(0, i + 1)) };
    value = (container as Record<PathStep, unknown>)[step];
  }
  return { found: true, value };
}
