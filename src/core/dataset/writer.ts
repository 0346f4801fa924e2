import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChatMessage } from '../chat';
import { DonePrompts, keyOfConversationId } from './done';
import { fileLines, stripBom } from './file-lines';
import { checkCreatable } from './output-folder';
import { onOutput, OutputFileError } from './output-file-error';
import { isRecord } from '../util/is-record';
import { errorText } from '../util/errors';
import { plural } from '../../shared/plural';
import type { OutputLock } from './output-lock';

/**
 * Where output rows go: whole lines only. The CLI appends to a file (below); the extension
 * implements this over vscode.workspace.fs.
 */
export interface LineSink {
  /** Appends the lines (each without '\n') as one unit; resolves once they are durable. */
  append(lines: string[]): Promise<void>;
}

export interface JsonlAppender extends LineSink {
  readonly path: string;
  close(): Promise<void>;
}

/** What repairing a crash-cut file removed. */
export interface RepairReport {
  path: string;
  droppedBytes: number;
  /** The start of the removed text (at most 200 characters). */
  dropped: string;
}

export interface AppenderOptions {
  /** The config field that names the file (`output.sft`), for its errors (see OutputFileError). */
  field?: string;
  /** Mend a tail a crash cut short at open (see TailRepair); by default the file is left as it is. */
  repair?: TailRepair;
  /** Opens the file for appending (node:fs/promises `open`); a test passes a handle whose write fails part way. */
  openFile?: OpenFile;
}

type OpenFile = (path: string, flags: number | string) => Promise<FileHandle>;

/**
 * Mending a file's tail truncates it, or writes at an offset: safe only for the holder of the
 * outputs' lock (lockOutputs), which no other process writes beside. Without it, another
 * process may be in the middle of a large row, which the mend would cut after the write ends
 * (a whole row lost), or write its newline into. So it is the explicit choice of a caller that
 * shows the lock it holds.
 */
interface TailRepair {
  lock: OutputLock;
  /** Required, so a repair is never silent: the caller must show or log it. */
  onRepair(report: RepairReport): void;
}

const SCAN_CHUNK = 64 * 1024;

/**
 * Opens a JSONL file for appending whole lines. With `repair` (the outputs' lock held), a last
 * line a crash cut short is truncated (and reported) before anything is appended, so new rows
 * never glue onto half a row; a whole last row without its newline is kept. Without it nothing
 * is truncated or written at an offset. Each `append` is ONE write on an O_APPEND handle
 * followed by fsync, and appends are serialized, so concurrent callers cannot interleave lines,
 * and another process's whole-line appends land before or after ours, never inside. A write that
 * fails part way is taken back (see appendWhole).
 *
 * A file that is there is opened at once, so one the run may not write fails before any call is
 * made. One that is not is created by the first row, with the folders it needs: a run that writes
 * none (bad input rows, an endpoint that cannot be reached, a cancel) leaves no empty file or
 * folder behind, and nothing needs removing afterwards, which could race another run appending
 * to a shared file. Where it would be created is checked at once instead (checkCreatable).
 */
export async function openJsonlAppender(path: string, opts: AppenderOptions): Promise<JsonlAppender> {
  const openFile: OpenFile = opts.openFile ?? open;
  const handle = await onOutput(path, opts.field, async () => {
    if (opts.repair) await repairTail(path, opts.repair.onRepair);
    const opened = await openExisting(path, openFile);
    if (!opened) checkCreatable(path);
    return opened;
  });
  return new FileAppender(path, opts.field, openFile, handle);
}

/** Appends in turn to a file opened (or to be created by the first row) by openJsonlAppender. */
class FileAppender implements JsonlAppender {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Why appends are refused: a failed write whose part written could not be taken back. */
  private halfRow: PartLeft | undefined;

  constructor(
    readonly path: string,
    private readonly field: string | undefined,
    private readonly openFile: OpenFile,
    private handle: FileHandle | undefined,
  ) {}

  append(lines: string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path}: appender is closed`));
    const data = Buffer.from(joinLines(lines, this.path), 'utf8');
    if (data.length === 0) return this.queue;
    const next = this.queue.then(() => onOutput(this.path, this.field, () => this.write(data)));
    // The chain goes on after a failed write (its part written taken back, see appendWhole);
    // the failure goes to that write's caller.
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle?.close();
  }

  private async write(data: Buffer): Promise<void> {
    if (this.halfRow) throw this.halfRow;
    this.handle ??= await createFile(this.path, this.openFile);
    try {
      await appendWhole(this.handle, data);
    } catch (error) {
      if (error instanceof PartLeft) this.halfRow = error;
      throw error;
    }
  }
}

/** An O_APPEND handle on the file if it is there; undefined if not (nothing is created). */
async function openExisting(path: string, openFile: OpenFile): Promise<FileHandle | undefined> {
  try {
    return await openFile(path, constants.O_WRONLY | constants.O_APPEND);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Times a first row makes its folder again when another run removed it in between (see removeEmptyFolders). */
const CREATE_TRIES = 3;

/** The file, created with its folders, opened for appending: the first row's. */
async function createFile(path: string, openFile: OpenFile): Promise<FileHandle> {
  for (let tries = 1; ; tries++) {
    await mkdir(dirname(path), { recursive: true });
    try {
      return await openFile(path, 'a');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || tries >= CREATE_TRIES) throw error;
    }
  }
}

function joinLines(lines: string[], path: string): string {
  for (const line of lines) {
    if (/[\r\n]/.test(line)) throw new Error(`${path}: a JSONL row must be one line (found a line break)`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** A write failed part way, and what it wrote could not be taken back. */
class PartLeft extends Error {}

/**
 * Whether an append's error left part of a row at the file's end (see appendWhole): a writer
 * that opens an appender per batch (the extension's) must then refuse its next rows itself,
 * until the lock's holder mends the file.
 */
export function leftPartOfRow(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof PartLeft) return true;
  return false;
}

/**
 * Appends `data` durably. Should the write fail part way (a full disk), the file is put back to
 * its length before it, so the next row never lands after half a row: the appender's writes are
 * the only ones at the file's end, its caller holding the outputs' lock (a run, or a decision
 * that takes it or writes through the run holding it). Throws the write's error; PartLeft when
 * the file could not be put back, which stops the appender.
 */
async function appendWhole(handle: FileHandle, data: Buffer): Promise<void> {
  const before = await handle.stat();
  try {
    await writeDurably(handle, data);
  } catch (error) {
    // A device (/dev/full) or a pipe keeps no length to go back to.
    if (!before.isFile()) throw error;
    try {
      await handle.truncate(before.size);
      await handle.sync();
    } catch (undo) {
      const reason = errorText(undo);
      throw new PartLeft(`a row was written in part and could not be taken back (${reason}): no more rows are appended to it until a run mends its end`, { cause: error });
    }
    throw error;
  }
}

async function writeDurably(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  // A regular-file write is normally complete in one call; loop in case the OS writes short.
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
  await handle.sync();
}

/**
 * Mends the end of a file that does not end in '\n'. A tail that is one whole JSON object (a row
 * an editor saved without a final newline, or one cut just before its '\n') is kept and given its
 * newline. Anything else after the last '\n' is the half row a crash left: it is truncated, and
 * reported, so new rows never glue onto it.
 */
async function repairTail(path: string, onRepair: TailRepair['onRepair']): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const keep = await endOfLastLine(handle, size);
    if (keep === size) return;
    const tail = Buffer.alloc(size - keep);
    await handle.read(tail, 0, tail.length, keep);
    // A byte-order mark is no part of the row: the readers drop it too (an editor saved a one-row file with one).
    if (isJsonObject(stripBom(tail.toString('utf8')))) {
      // At an offset: the lock's holder alone writes the file now (see TailRepair).
      await handle.write('\n', size);
    } else {
      await handle.truncate(keep);
      onRepair({ path, droppedBytes: size - keep, dropped: tail.subarray(0, 800).toString('utf8').replace(/\uFFFD+$/, '').slice(0, 200) });
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isJsonObject(text: string): boolean {
  try {
    return isRecord(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Byte offset just after the last '\n' (0 if none), scanning backwards from the end in chunks. */
async function endOfLastLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(SCAN_CHUNK);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - SCAN_CHUNK);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

export interface DoneReadOptions {
  onSkip?(line: number, reason: string): void;
  /** A cancel: the read ends at its next chunk and rejects with the signal's reason, as it is (see fileLines). */
  signal?: AbortSignal;
  /** What named the trace's path, for its errors (default `output.trace`). */
  field?: string;
}

/**
 * The prompts a trace file already holds (for resume), streamed line by line. A missing file
 * means none. Lines that are not trace rows are skipped and reported through `onSkip`.
 */
export async function readDonePrompts(tracePath: string, opts: DoneReadOptions = {}): Promise<DonePrompts> {
  const done = new DonePrompts();
  let read = false;
  const lines = async function* (): AsyncGenerator<string> {
    for await (const text of fileLines(tracePath, { signal: opts.signal })) {
      read = true;
      yield text;
    }
  };
  try {
    await addTraceLines(done, lines(), opts.onSkip);
  } catch (error) {
    // No trace: nothing is done, whether or not a cancel came.
    if (!read && (error as NodeJS.ErrnoException).code === 'ENOENT') return done;
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw new OutputFileError(tracePath, opts.field ?? 'output.trace', error, 'read');
  }
  return done;
}

/**
 * Adds the trace rows of a trace output's lines to `done`; a line that is not one (not JSON, cut
 * short, another tool's) goes to `onSkip` with its number (from 1) and why.
 */
export async function addTraceLines(done: DonePrompts, lines: AsyncIterable<string>, onSkip?: (line: number, reason: string) => void): Promise<void> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() && !addTraceLine(done, text)) onSkip?.(line, 'not a trace row (no promptId and messages)');
  }
}

/** How many skipped trace lines resume names one by one; a trace setting pointed at a big file that is no trace would flood the output. */
const NAMED_SKIPS = 5;

/** What resume says of the trace lines it skipped: `skip` for each line as it is met, `end` once the read is whole. */
export interface ResumeSkipNotes {
  readonly skip: (line: number, reason: string) => void;
  readonly end: () => void;
}

/**
 * What resume says of the trace lines it skipped, in the CLI and the extension alike: the first
 * few each with the file, the line and what named the file (`output.trace`, a setting), so the
 * user knows where to look; the rest summed up in one line at the end.
 */
export function resumeSkipNotes(path: string, field: string, note: (text: string) => void): ResumeSkipNotes {
  let skipped = 0;
  return {
    skip: (line, reason) => {
      if (++skipped <= NAMED_SKIPS) note(`note: ${path}:${line} (${field}) ignored for resume: ${reason}`);
    },
    end: () => {
      const more = skipped - NAMED_SKIPS;
      if (more > 0) note(`note: … and ${more.toLocaleString('en-US')} more ${plural(more, 'line')} that ${plural(more, 'is not a trace row', 'are not trace rows')} in ${path} (${field}), ignored for resume`);
    },
  };
}

/**
 * Adds one line of a trace output to `done`. False when it is not a whole trace row: a row a
 * crash cut short must not count as done, so the line is parsed whole, not only its head.
 */
function addTraceLine(done: DonePrompts, text: string): boolean {
  const trace = traceHead(text);
  if (trace === undefined) return false;
  if (trace.conversation !== undefined) done.addKey(trace.promptId, trace.conversation, trace.configHash);
  else done.add(trace.promptId, trace.messages, trace.configHash);
  return true;
}

function traceHead(text: string): { promptId: string; messages: ChatMessage[]; conversation?: number; configHash?: string } | undefined {
  try {
    const value = JSON.parse(text) as { promptId?: unknown; messages?: unknown; conversation?: unknown; configHash?: unknown } | null;
    // Messages that are not objects (a row edited by hand, another tool's) have no conversation to match.
    if (typeof value?.promptId !== 'string' || !Array.isArray(value.messages) || !value.messages.every(isRecord)) return undefined;
    const configHash = typeof value.configHash === 'string' ? value.configHash : undefined;
    return { promptId: value.promptId, messages: value.messages as unknown[] as ChatMessage[], conversation: keyOfConversationId(value.conversation), configHash };
  } catch {
    return undefined;
  }
}
