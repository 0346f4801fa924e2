import { alreadyDone, countPrompts, savingText, type PromptCounts, type PromptTally } from '../shared/prompt-counts';
import type { PanelSnapshot, RunOutcome } from '../shared/protocol';
import type { StrategyName } from '../shared/tree';
import { count, plural } from '../shared/plural';

/** What the status bar item says, apart from VS Code so that it is unit-tested. */
export interface StatusText {
  text: string;
  tooltip: string;
}

/** The run that ended last, as the idle item sums it up. */
export interface LastRun {
  outcome: RunOutcome;
  counts: PromptCounts;
}

const OUTCOME_WORDS: Record<RunOutcome, string> = { finished: 'done', cancelled: 'cancelled', stopped: 'stopped by an error', interrupted: 'interrupted' };

/**
 * A cancelled run that is ending: it may still write the outputs of searches that had finished
 * (`saving`, see run-cancelling), which on a busy disk takes a moment.
 */
export function cancellingStatus(saving: readonly string[]): StatusText {
  return {
    text: `$(sync~spin) TOA cancelling${saving.length ? `: saving ${count(saving.length, 'prompt')}` : ''}`,
    tooltip: `TOA Studio is cancelling the run: ${savingText(saving)}. Click to open the panel.`,
  };
}

/** A run being set up, before its first event (see RunPreparing): what it is doing. */
export function preparingStatus(step: string, progress?: string): StatusText {
  const doing = progress ? `${step} (${progress})` : step;
  return {
    text: `$(sync~spin) TOA preparing: ${doing}…`,
    tooltip: `TOA Studio is setting up a run: ${doing}. Click to open the panel (Cancel run stops it).`,
  };
}

export function runningStatus(strategy: StrategyName, tally: PromptTally): StatusText {
  const failed = tally.failed ? ` · ${tally.failed} failed` : '';
  return {
    text: `$(sync~spin) TOA ${strategy} ${tally.finished}/${tally.total}${alreadyDone(tally.skipped)} · ${tally.plays} plays${failed}`,
    tooltip: `TOA Studio is running: click to open the panel${skippedNote(tally.skipped)}`,
  };
}

export function idleStatus(last: LastRun | undefined): StatusText {
  if (!last) return { text: '$(type-hierarchy) TOA', tooltip: 'Open the TOA Studio panel' };
  const { finished, total, skipped } = last.counts;
  return {
    text: `$(type-hierarchy) TOA · last run ${OUTCOME_WORDS[last.outcome]}: ${finished}/${total}${alreadyDone(skipped)}`,
    tooltip: `Open the TOA Studio panel${skippedNote(skipped)}`,
  };
}

/**
 * The last run of the snapshot the panel restores after a window reload, so the item keeps its
 * summary: a run the reload cut short comes back `interrupted`, as the panel's header says.
 */
export function lastRunOf(snapshot: PanelSnapshot): LastRun | undefined {
  if (snapshot.runId === null) return undefined;
  // Saved before outcomes existed: the header calls such a run finished too.
  return { outcome: snapshot.outcome ?? 'finished', counts: countPrompts(snapshot.prompts, snapshot.inputPrompts, snapshot.promptsLeftOut) };
}

function skippedNote(skipped: number): string {
  return skipped ? `\n\n${count(skipped, 'prompt')} already had a search in the trace output, so this run skipped ${plural(skipped, 'it', 'them')} (resume).` : '';
}
