import * as vscode from 'vscode';
import type { RunEvent } from '../core';
import { runOutcome } from '../shared/panel-state';
import { PromptTally } from '../shared/prompt-counts';
import type { StrategyName } from '../shared/tree';
import { COMMANDS } from './commands';
import { cancellingStatus, idleStatus, preparingStatus, runningStatus, type LastRun, type StatusText } from './status-text';

/**
 * The run's progress in the status bar: idle it opens the panel and sums up the last run (also
 * after a window reload, from the panel's restored snapshot); while a run goes it shows prompts
 * done / total and plays, and a click opens the panel (cancel is one more click there, or in the
 * progress notification).
 */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('toaStudio.run', vscode.StatusBarAlignment.Left, 50);
  private tally = new PromptTally();
  private strategy: StrategyName = 'toa';
  /** Set while a cancelled run ends: the prompts whose outputs it still writes. */
  private cancelling: readonly string[] | undefined;
  /** While a run is set up: what the item said before, to say again if no run starts. */
  private beforeSetup: StatusText | undefined;

  /** `last`: the run the panel shows, so the summary outlives a window reload as the panel does. */
  constructor(last?: LastRun) {
    this.item.name = 'TOA Studio run';
    this.item.command = COMMANDS.openPanel;
    this.show(idleStatus(last));
    this.item.show();
  }

  /** What the item says now (the extension's API hands it to tests). */
  get status(): StatusText {
    return { text: this.item.text, tooltip: String(this.item.tooltip ?? '') };
  }

  /** A run's setup moved on to `step` (reading the rows, the trace...), or `progress` in it: no event says so. */
  preparing(step: string, progress?: string): void {
    this.beforeSetup ??= this.status;
    this.show(preparingStatus(step, progress));
  }

  /** The setup ended without a run (refused, cancelled, failed): the item says what it said before. */
  setupEnded(): void {
    if (this.beforeSetup) this.show(this.beforeSetup);
    this.beforeSetup = undefined;
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-start') {
      this.beforeSetup = undefined;
      // Compare runs one engine run per strategy: the bar says which one it is on.
      this.tally = new PromptTally();
      this.tally.add(event);
      this.strategy = event.strategy;
      this.cancelling = undefined;
    } else if (event.type === 'run-done') {
      this.cancelling = undefined;
      return this.show(idleStatus({ outcome: runOutcome(event), counts: this.tally }));
    } else if (event.type === 'run-cancelling') {
      this.cancelling = event.saving;
    } else if (!this.tally.add(event)) {
      return;
    }
    this.show(this.cancelling ? cancellingStatus(this.cancelling) : runningStatus(this.strategy, this.tally));
  }

  private show({ text, tooltip }: StatusText): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
