import type { RunEvent } from '../../shared/events';
import type { PanelEvent } from '../../shared/protocol';
import { realTimers, type Timers } from './event-batcher';

/** Saves are coalesced: auto-accept can change thousands of statuses in a run. */
const SAVE_DELAY_MS = 1000;
/** A save writes up to the persisted trees: during a run, not more often than this. */
export const IN_RUN_SAVE_DELAY_MS = 5000;

/**
 * When the panel's snapshot is written to workspace state, so that a window reloaded at any
 * moment shows the run it showed. A run is written as it starts (it has no trees yet, so this
 * costs little): a reload then shows it, interrupted, never the run before it. It is written
 * again once its queue has come in (SAVE_DELAY_MS), after each finished prompt at most every
 * IN_RUN_SAVE_DELAY_MS, and at once when it ends. A user's decision on a prompt is saved at once
 * (saveNow), and other changes within SAVE_DELAY_MS (saveSoon), or IN_RUN_SAVE_DELAY_MS during a
 * run: auto-accept's statuses come just before each prompt-done, and at 1 s they made the in-run
 * saves five times as many.
 */
export class SnapshotSaver {
  private timer: unknown;
  private running = false;

  constructor(
    private readonly write: () => void,
    private readonly timers: Timers = realTimers,
  ) {}

  onEvent(event: RunEvent | PanelEvent): void {
    if (event.type === 'run-done') {
      this.running = false;
      this.saveNow();
    } else if (event.type === 'run-start') {
      this.running = true;
      this.saveNow();
      this.saveSoon(SAVE_DELAY_MS);
    } else if (event.type === 'prompt-shown') {
      // A tree the user asked for (Show tree): one save, now.
      this.saveNow();
    } else if (event.type === 'prompt-done' && this.running) {
      this.saveSoon();
    }
  }

  /** Saves within `delayMs` (by default, SAVE_DELAY_MS or during a run IN_RUN_SAVE_DELAY_MS); a save already due sooner is not put off. */
  saveSoon(delayMs = this.running ? IN_RUN_SAVE_DELAY_MS : SAVE_DELAY_MS): void {
    if (this.timer !== undefined) return;
    this.timer = this.timers.setTimeout(() => this.saveNow(), delayMs);
  }

  saveNow(): void {
    this.cancel();
    this.write();
  }

  /** Drops a pending save (the owner saves at once when it is disposed). */
  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
