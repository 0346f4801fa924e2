/**
 * Just enough markdown for the README drift tests: sections by heading, pipe tables, code spans
 * and links. Deliberately not a full parser: the README keeps the things these tests read in
 * plain shapes (a table per reference, names in backticks), and anything subtler is prose.
 */

/** The lines under the heading that starts with `heading` (e.g. "## The CLI"), up to the next heading of its level or above. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

export interface Table {
  header: string[];
  rows: string[][];
}

/** Every pipe table in `text`: runs of lines starting with `|`, the second being the `|---|` rule. */
export function tables(text: string): Table[] {
  const out: Table[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length >= 2 && /^\|[\s|:-]+\|$/.test(block[1]!)) out.push({ header: cells(block[0]!), rows: block.slice(2).map(cells) });
    block = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) block.push(line.trim());
    else flush();
  }
  flush();
  return out;
}

/** A table line's cells, split at pipes outside code spans (`a \| b` stays one cell). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 1; i < line.length - 1; i++) {
    const c = line[i]!;
    if (c === '`') inCode = !inCode;
    if (c === '|' && !inCode && line[i - 1] !== '\\') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/** The contents of the code spans in `text`, in order. */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

/** The targets of inline links and images, `[text](target)` and `![alt](target)`, outside code. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading: string): string {
  return heading
    .replace(/^#+\s*/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Command-line flags (`--out-dir`, `-c`) in `text`; a hyphen inside a word (`best-of-n`) is not one. */
export function flags(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--?[a-z][\w-]*/g)].map((m) => m[0]));
}
