import type { RunEvent } from './events';
import { searchPending } from './panel-state';
import type { LeftOutPrompts, PromptEntry } from './protocol';
import { count } from './plural';

/**
 * A run's prompts as its progress counts them, wherever it is shown (panel header, status bar,
 * progress notification, CLI): `finished` of `total` are the prompts this run searches. The ones
 * resume passed over because the trace holds them are `skipped`, counted apart: counted in, a
 * resumed run read as if it had searched them (6/8 at once) or had them still to do.
 */
export interface PromptCounts {
  finished: number;
  total: number;
  skipped: number;
}

/**
 * The counts of a panel snapshot's prompts: a prompt a cancel cut short did not finish, and one
 * Show tree put in the panel is not counted.
 * `inputPrompts`: the run's input rows when known (run-start's `prompts`); the list holds only
 * the prompts queued so far, so without it 1,319 selected rows would read as 49/113.
 * `leftOut`: the prompts a saved snapshot does not list (PanelSnapshot.promptsLeftOut).
 */
export function countPrompts(prompts: readonly PromptEntry[], inputPrompts?: number, leftOut?: LeftOutPrompts): PromptCounts {
  const tally = tallyFrom(leftOut);
  // A tree Show tree put in the panel is not one of the run's prompts.
  for (const p of prompts) if (!p.shown) tallyPrompt(tally, p);
  return { finished: tally.finished, total: expectedTotal(tally.searched, inputPrompts, tally.skipped), skipped: tally.skipped };
}

/** A tally to add prompts to: a copy of `from`, or none counted yet. */
export function tallyFrom(from: LeftOutPrompts | undefined): LeftOutPrompts {
  return from ? { ...from } : { searched: 0, finished: 0, skipped: 0, plays: 0 };
}

/** Adds one of the run's prompts to a tally: resume's skipped ones apart, one a cancel cut short not finished. */
export function tallyPrompt(tally: LeftOutPrompts, p: PromptEntry): void {
  tally.plays += p.plays;
  if (p.status === 'skipped') return void tally.skipped++;
  tally.searched++;
  if (!searchPending(p.status) && p.status !== 'cancelled') tally.finished++;
}

/** Of the input's rows, those this run searches (resume's skipped ones apart), once more are known than were queued. */
function expectedTotal(queued: number, inputPrompts: number | undefined, skipped: number): number {
  return Math.max(queued, (inputPrompts ?? 0) - skipped);
}

/** ` · 6 already done`, to follow a count; empty when resume skipped nothing. */
export function alreadyDone(skipped: number): string {
  return skipped ? ` · ${skipped} already done` : '';
}

/**
 * What a cancelled run waits for before it ends (run-cancelling's `saving`), in words, wherever
 * it is shown: the panel, the status bar, the notification, the CLI.
 */
export function savingText(saving: readonly string[]): string {
  if (!saving.length) return 'cutting the searches in flight short';
  const shown = saving.slice(0, 3).join(', ') + (saving.length > 3 ? ', ...' : '');
  return `writing the outputs of ${count(saving.length, 'finished prompt')} (${shown}) before it stops`;
}

/** Counts a run's events as they come (the live side of countPrompts). */
export class PromptTally implements PromptCounts {
  /** Queued for a search: the input is read lazily, so this grows as the run goes. */
  queued = 0;
  /** The input's rows, from run-start, when they were known up front. */
  inputPrompts: number | undefined;
  finished = 0;
  skipped = 0;
  failed = 0;
  /** Searches a cancel cut short: neither finished nor failed. */
  cutShort = 0;
  plays = 0;

  /** The prompts this run searches: all the input's rows but the skipped ones, when known. */
  get total(): number {
    return expectedTotal(this.queued, this.inputPrompts, this.skipped);
  }

  /** Folds one event in; true when it changed a count. */
  add(event: RunEvent): boolean {
    switch (event.type) {
      case 'run-start':
        this.inputPrompts = event.prompts;
        return true;
      case 'prompt-queued':
        this.queued++;
        return true;
      case 'prompt-skipped':
        this.skipped++;
        return true;
      case 'prompt-done':
        this.finished++;
        return true;
      case 'prompt-failed':
        this.failed++;
        this.finished++;
        return true;
      case 'prompt-cancelled':
        this.cutShort++;
        return true;
      case 'play-done':
        this.plays++;
        return true;
      default:
        return false;
    }
  }
}
