/**
 * One output row as one JSONL line. JSON leaves U+0085, U+2028 and U+2029 unescaped, and a
 * model's answer may hold them; Python's `str.splitlines()` (and editors that follow Unicode's
 * line breaks) would cut the row there, so they are written as \u escapes, which parse the same.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
