import { RewardError } from './types';
import { jsonExcerpt } from '../util/excerpt';
import { formatJsonPath, valueAt, type PathStep } from './json-path';

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
 * MEAN pooling) gives its labels, `[score]` for a one-label head: the score is the first. A
 * token reward model (vLLM's default ALL pooling for `*ForRewardModel`, e.g. Qwen2.5-Math-RM)
 * gives one row per token, `[[r1], [r2], ..., [rn]]`: an outcome reward model is trained to
 * score at the last token, so the score is the last row's first value, not the first token's.
 */
export function pooledScore(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return Array.isArray(value[0]) ? pooledScore(value[value.length - 1]) : pooledScore(value[0]);
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
