import { promptText, type PromptRow } from '../chat';
import type { RunContext } from './context';

export interface FedRow {
  row: PromptRow;
  /** 0-based place among the rows searched: the prompt's priority at the gate. */
  order: number;
}

/**
 * Hands rows to the scheduler's workers one at a time, pulling lazily from the input (so memory
 * is bounded by the rows in flight, not the file). Rows that `skip` holds are reported as
 * skipped and passed over. `next()` calls are serialized, as an arbitrary async iterator need not
 * support overlapping calls. Errors from the input (e.g. a ValidationError) reject `next()`,
 * unless the run was cancelled or stopped: the input then ends.
 */
export class RowFeed {
  private readonly iterator: Iterator<PromptRow> | AsyncIterator<PromptRow>;
  private queue: Promise<unknown> = Promise.resolve();
  private finished = false;
  private order = 0;
  /** The row after the last one handed out, read ahead so the end of the input is known early. */
  private ahead: Promise<IteratorResult<PromptRow>> | undefined;

  constructor(private readonly ctx: RunContext) {
    const rows = ctx.options.rows;
    this.iterator = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  }

  next(): Promise<FedRow | undefined> {
    const next = this.queue.then(() => this.pull());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Lets the input release what it holds (e.g. close the file) when the run stops early. */
  async close(): Promise<void> {
    await this.queue;
    await this.ahead?.catch(() => undefined);
    if (this.finished) return;
    this.finished = true;
    await this.iterator.return?.();
  }

  private async pull(): Promise<FedRow | undefined> {
    const { ctx } = this;
    while (!this.finished && !ctx.signal.aborted) {
      let result: IteratorResult<PromptRow>;
      try {
        result = await (this.ahead ?? this.iterator.next());
        this.ahead = undefined;
      } catch (error) {
        this.finished = true;
        // A cancel cut the input's read short (a file input rejects with the signal's reason):
        // the run ends as cancelled, with no input error to report.
        if (ctx.signal.aborted) return undefined;
        throw error;
      }
      if (result.done) {
        this.finished = true;
        ctx.inputDone = true;
        return undefined;
      }
      const row = result.value;
      ctx.stats.promptSeen();
      if (ctx.options.skip?.claim(row)) {
        ctx.stats.promptSkipped();
        ctx.reporter.emit({ type: 'prompt-skipped', promptId: row.id, preview: promptText(row).slice(0, 120) });
        continue;
      }
      ctx.reporter.emit({ type: 'prompt-queued', promptId: row.id, preview: promptText(row).slice(0, 120) });
      this.readAhead();
      return { row, order: this.order++ };
    }
    return undefined;
  }

  /**
   * Reads the next row now: when it is the end, the gate learns at once that the prompts in
   * flight are the last ones (tail balancing, see play.ts), not only when a worker asks for more.
   * A failed read is reported by the next pull.
   */
  private readAhead(): void {
    // Async either way: a plain iterator answers (or throws) at once.
    const ahead = (async () => this.iterator.next())();
    this.ahead = ahead;
    ahead.then((r) => r.done && (this.ctx.inputDone = true), () => undefined);
  }
}
