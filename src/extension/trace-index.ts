import { DonePrompts } from '../core';
import { traceHeadOfLine } from './trace-ids';

/** How TraceIndex reads a trace output; `readFrom` where the file system can read part of a file. */
export interface TraceFiles {
  stat(path: string): Promise<{ size: number; mtime: number } | undefined>;
  readAll(path: string): Promise<Uint8Array>;
  readFrom?(path: string, offset: number, length: number): Promise<Uint8Array>;
}

interface Indexed {
  done: DonePrompts;
  /** Bytes read up to the end of the last whole line. */
  consumed: number;
  /** The last bytes up to `consumed`: an append leaves them as they were, a rewrite rarely does. */
  tail: Uint8Array;
  size: number;
  mtime: number;
}

/**
 * The prompts each trace output holds, for the CodeLens, kept between refreshes. A run appends
 * to the trace after every prompt, and each append refreshes the lenses; trace rows hold whole
 * trees, so reading the file again each time would cost more the longer the run. A trace that
 * only grew is read from where the last read stopped; anything else is read whole.
 */
export class TraceIndex {
  private readonly indexed = new Map<string, Indexed>();

  constructor(
    private readonly files: TraceFiles,
    /**
     * The most read at once where the file system can read part of a file. A trace of 1,000s of
     * prompts at a big budget runs to 100 MB: read and decoded at once, it held the extension
     * host for over a second and took 360 MB more; in pieces it yields between them.
     */
    private readonly chunkBytes = 4 * 1024 * 1024,
  ) {}

  async traced(path: string): Promise<DonePrompts> {
    const stat = await this.files.stat(path).catch(() => undefined);
    if (!stat) {
      this.indexed.delete(path);
      return new DonePrompts();
    }
    const known = this.indexed.get(path);
    if (known && known.size === stat.size && known.mtime === stat.mtime) return known.done;
    const next = (known && (await this.grown(path, known, stat))) ?? (await this.whole(path, stat));
    // A read that failed is not remembered: the next refresh tries again.
    if (next) this.indexed.set(path, next);
    else this.indexed.delete(path);
    return next?.done ?? new DonePrompts();
  }

  private async whole(path: string, stat: { size: number; mtime: number }): Promise<Indexed | undefined> {
    const fresh: Indexed = { done: new DonePrompts(), consumed: 0, tail: new Uint8Array(0), ...stat };
    const pieces = this.files.readFrom && (await this.grown(path, fresh, stat));
    if (pieces) return pieces;
    const bytes = await this.files.readAll(path).catch(() => undefined);
    if (!bytes) return undefined;
    const done = new DonePrompts();
    const consumed = addLines(done, bytes);
    return { done, consumed, tail: tailOf(bytes, consumed), ...stat };
  }

  /**
   * `known` plus the rows appended since (read in pieces of `chunkBytes`), or undefined when the
   * file is not just longer. `known.done` is added to: the caller drops it on undefined.
   */
  private async grown(path: string, known: Indexed, stat: { size: number; mtime: number }): Promise<Indexed | undefined> {
    const readFrom = this.files.readFrom?.bind(this.files);
    if (!readFrom || stat.size < known.consumed) return undefined;
    // From the bytes before the new part, which must be as they were: else the file was rewritten.
    let offset = known.consumed - known.tail.length;
    let pending: Uint8Array = new Uint8Array(0);
    let { consumed, tail } = known;
    let checked = false;
    while (offset < stat.size || !checked) {
      const bytes = await readFrom(path, offset, Math.min(this.chunkBytes, stat.size - offset)).catch(() => undefined);
      if (!bytes) return undefined;
      offset += bytes.length;
      let fresh: Uint8Array = bytes;
      if (!checked) {
        if (!sameBytes(bytes.subarray(0, tail.length), tail)) return undefined;
        fresh = bytes.subarray(tail.length);
        checked = true;
      }
      pending = joined(pending, fresh);
      const end = addLines(known.done, pending);
      tail = lastBytes(tail, pending.subarray(0, end));
      consumed += end;
      pending = pending.subarray(end);
      // A file cut shorter than its size said, while it was read: what was read is kept.
      if (bytes.length === 0) break;
    }
    return { done: known.done, consumed, tail, ...stat };
  }
}

/** The last TAIL_BYTES of `before` followed by `after`. */
function lastBytes(before: Uint8Array, after: Uint8Array): Uint8Array {
  return after.length >= TAIL_BYTES ? after.slice(after.length - TAIL_BYTES) : joined(before, after).slice(-TAIL_BYTES);
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const TAIL_BYTES = 256;

function tailOf(bytes: Uint8Array, end: number): Uint8Array {
  return bytes.slice(Math.max(0, end - TAIL_BYTES), end);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Adds the whole lines of `bytes` to `done`; returns the bytes they take (up to the last line break). */
function addLines(done: DonePrompts, bytes: Uint8Array): number {
  const end = bytes.lastIndexOf(0x0a) + 1;
  for (const line of new TextDecoder().decode(bytes.subarray(0, end)).split('\n')) {
    const head = traceHeadOfLine(line);
    if (head) done.addKey(head.id, head.key);
  }
  return end;
}
