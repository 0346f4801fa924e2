import { RewardError } from './types';
import { jsonExcerpt } from '../util/excerpt';
import { formatJsonPath, valueAt, type PathStep } from './json-path';
import { count } from '../../shared/plural';

/**
 * The number at `steps` in a reply. Errors name the part of the path that was missing and show
 * the start of the reply, since the usual cause is a reply shaped differently than configured.
 */
export function scoreAt(reply: unknown, steps: readonly PathStep[], provider: string): number {
  // Every play is scored here: the path is spelled out only for the error message.
  return toScore(requireAt(reply, steps, provider), () => formatJsonPath(steps), provider);
}

/** The value at `steps`, or a RewardError naming the first part of the path that is missing. */
export function requireAt(reply: unknown, steps: readonly PathStep[], provider: string): unknown {
  const found = valueAt(reply, steps);
  if (found.found) return found.value;
  const path = formatJsonPath(steps);
  const detail = found.missing === path ? '' : ` (looking for ${path})`;
  throw new RewardError(`reward ${provider}: reply has nothing at ${found.missing}${detail}; reply: ${jsonExcerpt(reply)}`, provider);
}

/**
 * The outcome reward in a vLLM pooling output. A reward model pooled to one vector (LAST, CLS,
 * MEAN pooling) gives its labels, `[score]` for a one-label head. A token reward model (vLLM's
 * default ALL pooling for `*ForRewardModel`, e.g. Qwen2.5-Math-RM) gives one row per token,
 * `[[r1], [r2], ..., [rn]]`: an outcome reward model is trained to score at the last token, so
 * the score is read from the last row, not the first token's. A head with several labels per row
 * (a process reward model's per-step `[p_bad, p_good]`, e.g. Qwen2.5-Math-PRM) names no score by
 * itself: `classIndex` picks the value, and without it the call fails, since the first value may
 * well mean a bad answer. Undefined when the data holds no number where the score should be.
 */
export function pooledScore(value: unknown, classIndex: number | undefined, provider: string): number | undefined {
  let row = value;
  let rows: number | undefined;
  while (Array.isArray(row) && Array.isArray(row[0])) {
    rows = row.length;
    row = row[row.length - 1];
  }
  const values: unknown[] = typeof row === 'number' ? [row] : Array.isArray(row) ? row : [];
  if (values.length === 0) return undefined;
  const shown = (): string => (rows === undefined ? jsonExcerpt(values) : `the last of ${count(rows, 'row')}: ${jsonExcerpt(values)}`);
  const index = chosenIndex(values.length, classIndex, provider, { noun: ['value', 'values'], after: rows === undefined ? '' : ' per row', shown });
  const score = values[index];
  return typeof score === 'number' ? score : undefined;
}

/** How a reply's several values are named in errors: `2 classes`, `2 values per row (the last of 3 rows: …)`. */
interface ValuesNamed {
  noun: [singular: string, plural: string];
  after: string;
  /** The values, as the error shows them (built only for an error: every play is scored here). */
  shown: () => string;
}

/**
 * Which of a reply's `length` values is the score: the only one, or the one `classIndex` names.
 * Several values and no classIndex fail, since the first may well mean a bad answer (a process
 * reward model's `[p_bad, p_good]`, a classifier's `[bad, good]`).
 */
export function chosenIndex(length: number, classIndex: number | undefined, provider: string, { noun, after, shown }: ValuesNamed): number {
  if (classIndex === undefined && length > 1) {
    throw new RewardError(`reward ${provider}: the model returned ${count(length, ...noun)}${after} (${shown()}); set reward.classIndex to the one that means a good answer`, provider);
  }
  const index = classIndex ?? 0;
  if (index >= length) throw new RewardError(`reward ${provider}: reward.classIndex is ${index}, but the model returned ${count(length, ...noun)}${after}`, provider);
  return index;
}

/** Numbers, and numeric strings (some servers quote them); nothing else. `path` names where, for the error. */
export function toScore(value: unknown, path: () => string, provider: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? decimalNumber(value) : NaN;
  if (Number.isFinite(n)) return n;
  // JSON.stringify would show an overflowed 1e999 (Infinity) as "null".
  const shown = typeof value === 'number' ? String(value) : jsonExcerpt(value);
  throw new RewardError(`reward ${provider}: ${path()} is ${shown}, not a finite number`, provider);
}

/**
 * A score written out as text: a decimal number with an optional exponent, nothing else.
 * Number() would also take "0x10" (16), "0b1", "Infinity" and "" (0), which no scorer means.
 */
export function decimalNumber(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
}
