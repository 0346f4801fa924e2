import { diffLines, diffWordsWithSpace } from 'diff';

/** Word- or line-level difference between a response and the answer it refined (jsdiff). */

export type DiffMode = 'words' | 'lines';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Long, very different texts can make a word diff slow; past this it falls back to lines. */
const WORD_DIFF_TIMEOUT_MS = 150;

export function diffText(before: string, after: string, mode: DiffMode): DiffPart[] {
  const changes = (mode === 'words' ? diffWordsWithSpace(before, after, { timeout: WORD_DIFF_TIMEOUT_MS }) : undefined) ?? diffLines(before, after);
  return changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

/** Words added and removed, for the detail header ("+12 -3"). */
export function diffCounts(parts: readonly DiffPart[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    const words = p.text.split(/\s+/).filter(Boolean).length;
    if (p.kind === 'added') added += words;
    if (p.kind === 'removed') removed += words;
  }
  return { added, removed };
}
