import { conversationKey, keyOfConversationId, type ChatMessage, type TraceRow } from '../core';

/**
 * Reading trace JSONL in the editor without parsing every tree. The writer puts `promptId` and
 * `conversation` (the key of the prompt's messages) first, so both are read from a line's head;
 * rows written before `conversation` existed fall back to a full parse.
 */
const HEAD = /^\{"promptId":("(?:[^"\\]|\\.)*")(?:,"conversation":"([0-9a-f]{1,13})")?/;

/** A trace row's prompt id and conversation key. */
export interface TraceHead {
  id: string;
  key: number;
}

export function traceHeadOfLine(line: string): TraceHead | undefined {
  const m = HEAD.exec(line);
  try {
    const key = keyOfConversationId(m?.[2]);
    if (m && key !== undefined) return { id: JSON.parse(m[1]!) as string, key };
    if (!line.trim()) return undefined;
    const value = JSON.parse(line) as { promptId?: unknown; messages?: unknown } | null;
    if (typeof value?.promptId !== 'string' || !Array.isArray(value.messages)) return undefined;
    return { id: value.promptId, key: conversationKey(value.messages as ChatMessage[]) };
  } catch {
    return undefined;
  }
}

/**
 * The last trace row that `matches` (a prompt run twice has two; the newest wins), parsed.
 * With `runId`, only a row of that run (or one written before rows named their run). A row a
 * crash cut short (whole head, no tail, until the next append repairs it) is passed over.
 * The lines stream: a trace of 100 MB read as one text held the extension host for over a
 * second and took 360 MB more; a line at a time, only the rows of this prompt are parsed.
 */
export async function lastTraceRow(lines: AsyncIterable<string> | Iterable<string>, matches: (head: TraceHead) => boolean, runId?: string): Promise<TraceRow | undefined> {
  let last: TraceRow | undefined;
  for await (const line of lines) {
    const head = traceHeadOfLine(line);
    if (!head || !matches(head)) continue;
    const row = parseRow(line);
    if (row && (runId === undefined || row.runId === undefined || row.runId === runId)) last = row;
  }
  return last;
}

function parseRow(line: string): TraceRow | undefined {
  try {
    return JSON.parse(line) as TraceRow;
  } catch {
    return undefined;
  }
}
