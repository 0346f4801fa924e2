import * as vscode from 'vscode';
import { leftPartOfRow, onOutput, openJsonlAppender, type AppenderOptions, type LineSink, type OutputLock, type RepairReport } from '../core';

interface Pending {
  lines: string[];
  /** A mend of the tail asked for by the holder of this lock (see repair). */
  repair?: OutputLock;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A JSONL output in the workspace. Appends that arrive while a write is in flight are batched
 * into the next write.
 *
 * On disk (`file:`, local or remote) each batch is appended as the CLI appends: one O_APPEND
 * write and an fsync. A tail a crash cut short is mended (reported through `onRepair`) only when
 * the holder of the outputs' lock asks (repair), never by an append: another process may be in
 * the middle of a row there. The cost of a batch does not grow with the file, which matters for
 * long runs with big traces.
 *
 * Any other workspace file system (virtual folders) has no append, so there `vscode.workspace.fs`
 * reads the file, appends the lines, writes a temporary file beside it and renames it over the
 * original: a crash leaves the old file or the new one, never half a line.
 */
export class WorkspaceLineSink implements LineSink {
  private pending: Pending[] = [];
  private writing = false;
  private writes = 0;
  /** The error of a write that left part of a row at the end of the file (see appendOnDisk). */
  private partLeft: unknown;

  constructor(
    readonly uri: vscode.Uri,
    private readonly onRepair: (report: RepairReport) => void,
    /** The config field that names the file (`output.sft`), for its errors (see OutputFileError). */
    public field?: string,
    /** How a file on disk is opened (AppenderOptions.openFile); a test passes a handle whose write fails part way. */
    private readonly openFile?: AppenderOptions['openFile'],
  ) {}

  append(lines: string[]): Promise<void> {
    const broken = lines.findIndex((line) => /[\r\n]/.test(line));
    if (broken >= 0) return Promise.reject(new Error(`${this.uri.fsPath}: a JSONL row must be one line (row ${broken + 1} has a line break)`));
    return this.enqueue(lines);
  }

  private enqueue(lines: string[], repair?: OutputLock): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ lines, resolve, reject, repair });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length) {
      const batch = this.pending.splice(0);
      try {
        await this.write(batch.flatMap((p) => p.lines), batch.find((p) => p.repair)?.repair);
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.writing = false;
  }

  /**
   * Mends a tail a crash cut short now, before anything reads the file (on disk; a virtual file
   * system is only ever replaced whole). Only for the holder of the outputs' `lock` (see
   * TailRepair). Queued like an append, so no write of ours is in flight.
   */
  repair(lock: OutputLock): Promise<void> {
    return this.enqueue([], lock);
  }

  /** Its errors say the file, its config field and why, in words (see OutputFileError). */
  private write(lines: string[], repair: OutputLock | undefined): Promise<void> {
    if (this.uri.scheme === 'file') return this.appendOnDisk(lines, repair);
    return onOutput(this.uri.toString(), this.field, () => this.replaceWhole(lines));
  }

  private async replaceWhole(lines: string[]): Promise<void> {
    if (!lines.length) return;
    const current = await this.readCurrent();
    // A last line without its newline (edited by hand) stays whole: ours start on a new line.
    const separator = current.length && current[current.length - 1] !== 0x0a ? '\n' : '';
    const added = new TextEncoder().encode(separator + lines.map((line) => `${line}\n`).join(''));
    const next = new Uint8Array(current.length + added.length);
    next.set(current);
    next.set(added, current.length);
    const dir = vscode.Uri.joinPath(this.uri, '..');
    await vscode.workspace.fs.createDirectory(dir);
    const name = this.uri.path.slice(this.uri.path.lastIndexOf('/') + 1);
    const temp = vscode.Uri.joinPath(dir, `.${name}.${process.pid}.${++this.writes}.tmp`);
    await vscode.workspace.fs.writeFile(temp, next);
    try {
      await vscode.workspace.fs.rename(temp, this.uri, { overwrite: true });
    } catch (error) {
      await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
      throw error;
    }
  }

  private async appendOnDisk(lines: string[], lock: OutputLock | undefined): Promise<void> {
    // Rows would follow the half row a failed write left, which only a mend removes.
    if (this.partLeft && !lock) throw this.partLeft;
    // Opened per batch, not held: a file the user renames or deletes between runs is then
    // created anew instead of being written to where nobody can see it.
    const appender = await openJsonlAppender(this.uri.fsPath, { field: this.field, repair: lock && { lock, onRepair: this.onRepair }, openFile: this.openFile });
    this.partLeft = undefined;
    try {
      await appender.append(lines);
    } catch (error) {
      if (leftPartOfRow(error)) this.partLeft = error;
      throw error;
    } finally {
      await appender.close();
    }
  }

  private async readCurrent(): Promise<Uint8Array> {
    try {
      return await vscode.workspace.fs.readFile(this.uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return new Uint8Array();
      throw error;
    }
  }
}

/** One sink per file, so two runs writing the same output queue behind each other. */
export class SinkRegistry {
  private readonly sinks = new Map<string, WorkspaceLineSink>();

  constructor(private readonly onRepair: (report: RepairReport) => void) {}

  /** `field`: the config field that names it for the run at hand (the latest run's, should two configs name one file differently). */
  get(uri: vscode.Uri, field: string): WorkspaceLineSink {
    const key = uri.toString();
    let sink = this.sinks.get(key);
    if (!sink) this.sinks.set(key, (sink = new WorkspaceLineSink(uri, this.onRepair, field)));
    sink.field = field;
    return sink;
  }
}
