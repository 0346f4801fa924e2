import type { TraceRow } from '../core';

/**
 * Prompt ids in trace JSONL text. Trace rows start with `{"promptId":...` (the writer puts it
 * first), so the id is read from the line's head without parsing a whole tree; other lines fall
 * back to a full parse.
 */
const HEAD = /^\{"promptId":("(?:[^"\\]|\\.)*")/;

export function promptIdOfLine(line: string): string | undefined {
  const m = HEAD.exec(line);
  try {
    if (m) return JSON.parse(m[1]!) as string;
    if (!line.trim()) return undefined;
    const value: unknown = JSON.parse(line);
    const id = typeof value === 'object' && value !== null ? (value as { promptId?: unknown }).promptId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function traceIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const id = promptIdOfLine(line);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** The last trace row for `promptId`, parsed (a prompt run twice has two; the newest wins). */
export function lastTraceRow(text: string, promptId: string): TraceRow | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (promptIdOfLine(lines[i]!) === promptId) return JSON.parse(lines[i]!) as TraceRow;
  return undefined;
}
