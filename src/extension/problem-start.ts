import type { Problem } from '../core';

/**
 * Where a problem's diagnostic starts (0-based, as VS Code counts): at the column it names on its
 * line (a JSON syntax error says "at column 32"), else at the line's start; a problem of no line
 * (a field of the config, located nowhere) at the file's start.
 */
export function problemStart(p: Pick<Problem, 'line' | 'column'>): { line: number; character: number } {
  return { line: Math.max(0, (p.line ?? 1) - 1), character: Math.max(0, (p.column ?? 1) - 1) };
}
