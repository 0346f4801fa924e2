import * as vscode from 'vscode';
import type { RunEvent } from '../core';
import { COMMANDS } from './commands';

/**
 * The run's progress in the status bar: idle it opens the panel; while a run goes it shows
 * prompts done / total and plays, and a click opens the panel (cancel is one more click there,
 * or in the progress notification).
 */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('toaStudio.run', vscode.StatusBarAlignment.Left, 50);
  private total = 0;
  private finished = 0;
  private plays = 0;
  private failed = 0;
  private strategy = '';

  constructor() {
    this.item.name = 'TOA Studio run';
    this.item.command = COMMANDS.openPanel;
    this.idle();
    this.item.show();
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        // Compare runs one engine run per strategy: the bar says which one it is on.
        this.total = this.finished = this.plays = this.failed = 0;
        this.strategy = event.strategy;
        break;
      case 'prompt-queued':
        this.total++;
        break;
      case 'play-done':
        this.plays++;
        break;
      case 'prompt-failed':
        this.failed++;
        this.finished++;
        break;
      case 'prompt-skipped':
        // Rows resume skips are never queued: they count towards the total here.
        this.total++;
        this.finished++;
        break;
      case 'prompt-done':
        this.finished++;
        break;
      case 'run-done':
        this.idle(event.stopped !== undefined ? 'stopped by an error' : event.cancelled ? 'cancelled' : 'done');
        return;
      default:
        return;
    }
    this.item.text = `$(sync~spin) TOA ${this.strategy} ${this.finished}/${this.total} · ${this.plays} plays${this.failed ? ` · ${this.failed} failed` : ''}`;
    this.item.tooltip = 'TOA Studio is running: click to open the panel';
  }

  private idle(last?: string): void {
    const summary = last ? ` · last run ${last}: ${this.finished}/${this.total}` : '';
    this.item.text = `$(type-hierarchy) TOA${summary}`;
    this.item.tooltip = 'Open the TOA Studio panel';
  }

  dispose(): void {
    this.item.dispose();
  }
}
