import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { isRecord } from '../util/is-record';

export interface OutputPaths {
  sft: string;
  preference: string;
  trace: string;
}

/**
 * Where a run's rows begin in one output: the file's size in bytes when the run began appending
 * (0 when there was no file), and a digest of the bytes just before, so a file edited, truncated
 * or replaced since is told from the one the run appended to.
 */
interface OutputMark {
  bytes: number;
  before: string;
}

/** Where a run's rows begin in each output; kept in its lock (output-lock.ts) for recovery. */
export type OutputMarks = Record<keyof OutputPaths, OutputMark>;

/** The bytes digested before a mark: enough to tell another file, or rows deleted before it. */
const DIGESTED_BYTES = 4096;

const KINDS = ['sft', 'preference', 'trace'] as const;

/**
 * The outputs' marks now. Taken once their tails are mended and the crashed runs' rows restored,
 * before this run's first append: every row after a mark is this run's (or, should it die while
 * restoring, a row it restored for the runs its lock hands on).
 */
export function markOutputs(paths: OutputPaths): OutputMarks {
  const mark = (path: string): OutputMark => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bytes: 0, before: digest(Buffer.alloc(0)) };
      throw error;
    }
    try {
      const bytes = fstatSync(fd).size;
      return { bytes, before: digestBefore(fd, bytes) };
    } finally {
      closeSync(fd);
    }
  };
  return { sft: mark(paths.sft), preference: mark(paths.preference), trace: mark(paths.trace) };
}

/**
 * The byte offset a mark still stands for in the file: its `bytes` when the file still holds
 * the same bytes before it; otherwise 0, the whole file, as for a lock without marks. A file
 * truncated, replaced or edited above the mark since the crash falls back so, to reading its
 * last rows whoever wrote them: a row the crashed run wrote is never taken for missing (which
 * would write it twice), at worst an identical older row stands for one it did not write.
 */
export function markedOffset(path: string, mark: OutputMark): number {
  if (mark.bytes === 0) return 0;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  try {
    if (fstatSync(fd).size < mark.bytes) return 0;
    return digestBefore(fd, mark.bytes) === mark.before ? mark.bytes : 0;
  } finally {
    closeSync(fd);
  }
}

/** The digest of the DIGESTED_BYTES (or fewer, at the start) before byte `at`: what a mark keeps and is checked by. */
function digestBefore(fd: number, at: number): string {
  const before = Buffer.alloc(Math.min(at, DIGESTED_BYTES));
  readSync(fd, before, 0, before.length, at - before.length);
  return digest(before);
}

/** Marks read back from a lock; undefined unless all three are whole (a lock from an earlier version has none). */
export function parseMarks(value: unknown): OutputMarks | undefined {
  if (!isRecord(value)) return undefined;
  const marks: Partial<OutputMarks> = {};
  for (const kind of KINDS) {
    const mark = value[kind];
    if (!isRecord(mark) || !Number.isSafeInteger(mark.bytes) || (mark.bytes as number) < 0 || typeof mark.before !== 'string') return undefined;
    marks[kind] = { bytes: mark.bytes as number, before: mark.before };
  }
  return marks as OutputMarks;
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
