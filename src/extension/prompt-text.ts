import { parseLinesInSlices, parsePromptLines, type InputConfig, type LineSource, type PromptRow, type SliceOptions } from '../core';
import { hashString } from '../core/util/random';

/** Where a prompt text came from, so errors name the file and the real line. */
export interface TextOrigin {
  /** Workspace-relative path for messages. */
  file: string;
  /** 1-based line of the text's first line in the document. */
  firstLine: number;
  /** The document is JSON Lines. */
  jsonl: boolean;
}

/**
 * Rows from text the user selected. In a JSON Lines document, selected lines that are JSON
 * objects are prompt rows (every bad line is reported with its real line number); any other
 * selection is one prompt, with an id derived from its text so repeated runs match up.
 */
export function rowsFromSelection(text: string, origin: TextOrigin, input: InputConfig): PromptRow[] {
  if (!text.trim()) return [];
  if (origin.jsonl && looksLikeJsonLines(text)) return parsePromptLines(text, input, { file: origin.file, firstLine: origin.firstLine });
  const content = text.trim();
  return [{ id: `selection-${hashString(content).toString(36)}`, messages: [{ role: 'user', content }], source: { file: origin.file, line: origin.firstLine } }];
}

/**
 * A whole document: JSON Lines rows, or one prompt per non-blank line of plain text. In slices
 * that give the event loop its turn: the extension host serves every extension, and a million
 * rows take seconds (see parseLinesInSlices).
 */
export function rowsFromDocument(lines: LineSource, origin: Omit<TextOrigin, 'firstLine'>, input: InputConfig, slices: SliceOptions = {}): Promise<PromptRow[]> {
  return parseLinesInSlices(lines, origin.jsonl ? input : 'plain', { ...slices, file: origin.file, firstLine: 1 });
}

function looksLikeJsonLines(text: string): boolean {
  return text.split(/\r?\n/).every((line) => !line.trim() || line.trimStart().startsWith('{'));
}
