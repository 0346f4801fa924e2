import { stat } from 'node:fs/promises';
import type { PromptRow } from '../chat';
import { ValidationError } from '../config/errors';
import type { InputConfig } from '../config/schema';
import { fileLines, LineError, stripBom } from './file-lines';
import { RowChecker } from './row-checker';
import { fileErrorText } from '../util/file-error';
import { inSlices, Slices, type SliceOptions } from '../util/slices';

export interface ReadOptions {
  /** Name used in error messages (e.g. the workspace-relative path); defaults to `file`. */
  displayName?: string;
  /** Every row must carry a reference (a `reference` reward checks answers against it). */
  requireReference?: boolean;
  /**
   * A cancel: either pass ends at its next chunk and rejects with the signal's reason, as it is
   * (see fileLines). The first pass reads the whole file before the first row: seconds for a
   * million rows, which a cancel must not wait for.
   */
  signal?: AbortSignal;
}

/**
 * Streams the prompt rows of a JSONL file, in two streaming passes: the first validates every
 * line and throws one ValidationError listing all problems of the file (each with file, line
 * and field), so nothing is sent when the input is bad; the second yields the rows. Neither
 * pass holds more than one line (plus the id -> line map), so memory stays flat for big files.
 * Nothing is read until the iteration starts.
 */
export async function* readPromptRows(file: string, input: InputConfig, opts: ReadOptions = {}): AsyncGenerator<PromptRow> {
  const name = opts.displayName ?? file;
  await checkRereadable(file, name);
  const validation = new RowChecker(input, name, opts.requireReference);
  for await (const { text, line } of numberedLines(file, name, opts.signal)) validation.check(text, line);
  validation.throwIfProblems();
  // A fresh checker for the second pass: if the file changed in between, we stop at the change.
  const reading = new RowChecker(input, name, opts.requireReference);
  for await (const { text, line } of numberedLines(file, name, opts.signal)) {
    const row = reading.check(text, line);
    reading.throwIfProblems();
    if (row) yield row;
  }
}

/**
 * The non-blank lines of a file, streamed: a progress bar's denominator without holding the
 * file (half a second for a million rows). A cancel ends the count at its next chunk and
 * rejects with the signal's reason; a file that cannot be read rejects as fileLines does.
 */
export async function countRows(file: string, { signal }: { signal?: AbortSignal } = {}): Promise<number> {
  let n = 0;
  for await (const line of fileLines(file, { signal })) if (line.trim()) n++;
  return n;
}

/**
 * Rows from JSONL text the editor hands over (e.g. selected lines). `firstLine` is the real line
 * number of the text's first line, so errors point into the document. Collects every problem.
 */
export function parsePromptLines(text: string, input: InputConfig, opts: { file?: string; firstLine?: number } = {}): PromptRow[] {
  const rows = jsonlRows(input, opts.file);
  const first = opts.firstLine ?? 1;
  splitLines(text).forEach((lineText, i) => rows.add(lineText, first + i));
  return rows.done();
}

/**
 * Lines another party holds, handed over one at a time: an editor's document, read without
 * joining a million lines into one string and splitting it again (a tenth of a second each).
 */
export interface LineSource {
  readonly lineCount: number;
  /** The line at a 0-based index, without its line break. */
  lineAt(index: number): string;
}

/**
 * As parsePromptLines, over a LineSource, in slices that give the event loop its turn (see
 * inSlices): a million rows take seconds. `'plain'` instead of an input config: one prompt per
 * non-blank line (for .txt and .md files), with ids `line-<n>`. A cancel rejects with the
 * signal's reason at the next pause.
 */
export async function parseLinesInSlices(lines: LineSource, input: InputConfig | 'plain', opts: { file?: string; firstLine?: number } & SliceOptions = {}): Promise<PromptRow[]> {
  const rows = input === 'plain' ? plainRows(opts.file) : jsonlRows(input, opts.file);
  const first = opts.firstLine ?? 1;
  await inSlices(lines.lineCount, (i) => rows.add(lines.lineAt(i), first + i), opts);
  return rows.done();
}

/**
 * Every row of a file, held (the editor's run of a saved file, which its run needs in memory),
 * as parseLinesInSlices gives a document's: the same rows, ids and problems, `'plain'` as there.
 * One streaming pass, in slices that give the event loop its turn; with `onProgress`, the
 * non-blank lines read of countRows's total (a first pass: half a second for a million rows).
 * Bad rows throw one ValidationError naming `displayName`, every line and field; a file that
 * cannot be read, one naming it (and the line, for bytes that are not UTF-8). A cancel rejects
 * with the signal's reason, during the count too.
 */
export async function readRowsInSlices(file: string, input: InputConfig | 'plain', opts: { displayName?: string } & SliceOptions = {}): Promise<PromptRow[]> {
  const name = opts.displayName ?? file;
  const slices = new Slices(opts);
  await checkRereadable(file, name);
  const total = opts.onProgress ? await countRowsOf(file, name, opts.signal) : 0;
  const rows = input === 'plain' ? plainRows(name) : jsonlRows(input, name);
  let read = 0;
  for await (const { text, line } of numberedLines(file, name, opts.signal)) {
    rows.add(text, line);
    if (text.trim()) read++;
    if (slices.due()) await slices.pause(read, total);
  }
  return rows.done();
}

/** countRows, failing as the read would. */
async function countRowsOf(file: string, name: string, signal: AbortSignal | undefined): Promise<number> {
  try {
    return await countRows(file, { signal });
  } catch (error) {
    throw readFailure(error, name, signal);
  }
}

/** Where lines become rows, one line at a time: the same for text parsed at once and lines parsed in slices. */
interface RowGatherer {
  /** The line numbered `line` (1-based, in the document). */
  add(text: string, line: number): void;
  /** The rows; throws one ValidationError listing every problem. */
  done(): PromptRow[];
}

function jsonlRows(input: InputConfig, file: string | undefined): RowGatherer {
  const checker = new RowChecker(input, file);
  const rows: PromptRow[] = [];
  return {
    add: (text, line) => {
      const row = checker.check(text, line);
      if (row) rows.push(row);
    },
    done: () => {
      checker.throwIfProblems();
      return rows;
    },
  };
}

function plainRows(file: string | undefined): RowGatherer {
  const rows: PromptRow[] = [];
  return {
    add: (text, line) => {
      const content = text.trim();
      if (!content) return;
      const source = file === undefined ? { line } : { file, line };
      rows.push({ id: `line-${line}`, messages: [{ role: 'user', content }], source });
    },
    done: () => rows,
  };
}

function splitLines(text: string): string[] {
  return stripBom(text).split(/\r?\n/);
}

/**
 * An input is read more than once (checked, then read; the CLI also counts it first), so it must
 * be a file. A pipe (`<(cmd)`, /dev/stdin) would give its lines to the first pass only, and the
 * run would find no prompts at all. A path that does not exist is reported as the reading pass would.
 */
export async function checkRereadable(file: string, name = file): Promise<void> {
  const info = await stat(file).catch((error: unknown) => {
    throw new ValidationError([{ file: name, path: '', message: fileErrorText(error) }]);
  });
  if (info.isDirectory()) throw new ValidationError([{ file: name, path: '', message: 'is a folder: give the file of prompts in it' }]);
  if (!info.isFile()) {
    const what = info.isFIFO() ? 'a pipe' : 'not a regular file';
    throw new ValidationError([{ file: name, path: '', message: `is ${what}: the input is read more than once, so give a file (e.g. save the output of a pipe to a file first)` }]);
  }
}

/**
 * Numbered lines; read errors become a ValidationError naming the file, and the line when there
 * is one. A cancel rejects with the signal's reason.
 */
async function* numberedLines(file: string, name: string, signal: AbortSignal | undefined): AsyncGenerator<{ text: string; line: number }> {
  let line = 0;
  try {
    for await (const text of fileLines(file, { signal })) yield { text, line: ++line };
  } catch (error) {
    throw readFailure(error, name, signal);
  }
}

/** What a read of a file that failed throws: the cancel's reason, or the file (and line) in words. */
function readFailure(error: unknown, name: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  const where = error instanceof LineError ? { line: error.line, message: error.reason } : { message: fileErrorText(error) };
  return new ValidationError([{ file: name, path: '', ...where }]);
}
