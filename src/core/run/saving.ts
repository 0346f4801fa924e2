import type { RunReporter } from './events';

/**
 * The prompts whose outputs a run is writing, and what a cancelled run still waits for.
 *
 * A cancel aborts the searches and calls in flight at once and starts nothing new, but the
 * outputs of a prompt whose search had finished are written whole: its trace row, then the SFT
 * row and pair that row names (see Curator.recordTree). Cut between the two, the trace row would
 * tell resume the prompt is done while its SFT row never comes: a cancelled run releases its
 * lock, and only a crashed run's rows are written again (recover.ts). Cut inside a write, it
 * would leave half a JSONL row. So the run ends, and releases the lock, once those writes have
 * landed, which on a busy disk (an fsync per write) can take a while; meanwhile `run-cancelling`
 * says which prompts it waits for, at the cancel and again as each is saved, so that the run is
 * seen ending rather than stuck.
 */
export class SavingTracker {
  private readonly saving = new Set<string>();
  private cancelling = false;

  constructor(private readonly reporter: RunReporter) {}

  /** Runs `write`, the storing of `promptId`'s outputs, counting it as being saved until it settles. */
  async save(promptId: string, write: () => Promise<void>): Promise<void> {
    this.saving.add(promptId);
    try {
      await write();
    } finally {
      this.saving.delete(promptId);
      if (this.cancelling) this.report();
    }
  }

  /** The run was cancelled: says so, with the writes it waits for (once; later calls do nothing). */
  cancelled(): void {
    if (this.cancelling) return;
    this.cancelling = true;
    this.report();
  }

  private report(): void {
    this.reporter.emit({ type: 'run-cancelling', saving: [...this.saving] });
  }
}
