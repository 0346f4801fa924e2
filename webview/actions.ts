import { bestResponse } from '../src/shared/panel-state';
import type { StrategyName } from '../src/shared/tree';
import { MAX_ZOOM, MIN_ZOOM, type TabId } from './ui-state';
import type { PanelStore } from './store';

/** After a decision its buttons are disabled: the keyboard goes on to the next prompt. */
const AFTER_DECISION = ['.prompt-bar .next-prompt', 'vscode-tab-header.tab-prompt'];

/**
 * Everything a click can do. Curation actions post their WebviewToHost message and mark the
 * prompt pending; the host answers with `prompt-status`, which clears the mark.
 */
export class Actions {
  constructor(private readonly store: PanelStore) {}

  showTab(tab: TabId): void {
    this.store.setUi({ tab });
  }

  /** Shows one strategy's run of the last comparison in the Run tab, once the host sends it. */
  showStrategy(strategy: StrategyName): void {
    this.store.openStrategy(strategy);
  }

  /** Pins a prompt (stops following the live one) and opens its tree. */
  openPrompt(promptId: string): void {
    const ui = this.store.ui;
    const samePrompt = ui.promptId === promptId;
    this.store.setUi({
      tab: 'prompt', promptId, follow: false,
      nodeId: samePrompt ? ui.nodeId : null, chosen: samePrompt ? ui.chosen : null, rejected: samePrompt ? ui.rejected : null,
    });
  }

  follow(): void {
    this.store.setUi({ follow: true, promptId: null, nodeId: null, chosen: null, rejected: null });
  }

  /** Steps through the queue (direction -1 / +1) from the shown prompt. */
  stepPrompt(direction: -1 | 1): void {
    const prompts = this.store.snapshot.prompts;
    const current = this.store.selectedPrompt;
    const at = current ? prompts.indexOf(current) : -1;
    const next = prompts[at + direction];
    if (!next) return;
    this.openPrompt(next.id);
    // At either end of the queue the arrow pressed is disabled: the keyboard moves to the other one.
    const arrows = ['.prompt-bar .next-prompt', '.prompt-bar .previous-prompt'];
    this.store.requestFocus(direction > 0 ? arrows : arrows.reverse());
  }

  selectNode(nodeId: number): void {
    const prompt = this.store.selectedPrompt;
    if (!prompt) return;
    this.store.setUi({ promptId: prompt.id, follow: false, nodeId, detailTab: 'detail' });
  }

  /** A candidate opens in the Node tab, which replaces the list: the keyboard goes to that tab. */
  openCandidate(nodeId: number): void {
    this.selectNode(nodeId);
    this.store.requestFocus(['.detail-tabs vscode-tab-header.node-tab']);
  }

  setUntried(showUntried: boolean): void {
    this.store.setUi({ showUntried });
  }

  setZoom(zoom: number): void {
    this.store.setUi({ zoom: Math.round(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) * 100) / 100 });
  }

  zoomStep(direction: 1 | -1): void {
    this.setZoom(this.store.ui.zoom * (direction > 0 ? 1.25 : 0.8));
  }

  accept(nodeId: number, text?: string): void {
    const about = this.decisionAbout();
    if (!about) return;
    this.store.post(text === undefined ? { type: 'accept', ...about, nodeId } : { type: 'accept', ...about, nodeId, text }, 'Accepting…');
    if (text !== undefined) this.store.setUi({ draft: null });
    this.store.requestFocus(AFTER_DECISION);
  }

  acceptBest(): void {
    const tree = this.store.selectedTree;
    const best = tree ? bestResponse(tree, { answersOnly: true }) : undefined;
    if (best) this.accept(best.id);
  }

  reject(): void {
    const about = this.decisionAbout();
    if (!about) return;
    this.store.post({ type: 'reject', ...about }, 'Rejecting…');
    this.store.requestFocus(AFTER_DECISION);
  }

  /** The shown run and prompt a decision is about (a comparison's runs share prompt ids). */
  private decisionAbout(): { runId: string; promptId: string } | undefined {
    const { runId } = this.store.snapshot;
    const prompt = this.store.selectedPrompt;
    return runId !== null && prompt ? { runId, promptId: prompt.id } : undefined;
  }

  /** An edit belongs to one prompt, as a pair does: opening one pins the prompt shown, so the run moving on does not take it away. */
  startEdit(nodeId: number): void {
    const prompt = this.store.selectedPrompt;
    const text = this.store.selectedTree?.nodes[nodeId]?.text;
    if (prompt && text !== undefined) this.store.setUi({ ...this.pinned(), draft: { promptId: prompt.id, nodeId, text } });
  }

  updateDraft(text: string): void {
    const draft = this.store.ui.draft;
    if (draft) this.store.setUi({ draft: { ...draft, text } });
  }

  /** Discarding an edit closes its editor: the keyboard goes back to the Edit… button. */
  cancelEdit(): void {
    this.store.setUi({ draft: null });
    this.store.requestFocus(['.detail vscode-button.edit-node', ...AFTER_DECISION]);
  }

  /** A pair belongs to one prompt, so picking a side pins the prompt shown. */
  markChosen(nodeId: number | null): void {
    const ui = this.store.ui;
    this.store.setUi({ ...this.pinned(), chosen: nodeId, rejected: ui.rejected === nodeId ? null : ui.rejected });
  }

  markRejected(nodeId: number | null): void {
    const ui = this.store.ui;
    this.store.setUi({ ...this.pinned(), rejected: nodeId, chosen: ui.chosen === nodeId ? null : ui.chosen });
  }

  /**
   * The pair bar's clear button goes with the side it clears: the keyboard goes to the shown
   * answer's button that picks that side again, else back to the tree.
   */
  clearPairSide(side: 'chosen' | 'rejected'): void {
    if (side === 'chosen') this.markChosen(null);
    else this.markRejected(null);
    this.store.requestFocus([`.detail vscode-button.mark-${side}`, 'toa-tree .tree-scroller']);
  }

  private pinned(): { promptId: string | null; follow: boolean } {
    return { promptId: this.store.selectedPrompt?.id ?? null, follow: false };
  }

  savePreference(): void {
    const about = this.decisionAbout();
    const { chosen, rejected } = this.store.ui;
    if (!about || chosen === null || rejected === null || chosen === rejected) return;
    this.store.post({ type: 'preference', ...about, chosen, rejected }, 'Saving pair…');
    this.store.setUi({ chosen: null, rejected: null });
    // A pair decides nothing: the keyboard goes back to the tree it was picked from.
    this.store.requestFocus(['toa-tree .tree-scroller', ...AFTER_DECISION]);
  }

  /** A mistake in the panel's own fields, shown where the host's notices are. */
  showError(message: string): void {
    this.store.showNotice({ level: 'error', message });
  }

  setAutoAccept(threshold: number | null): void {
    this.store.snapshot.autoAcceptAbove = threshold;
    this.store.post({ type: 'set-auto-accept', threshold });
    this.store.setUi({});
  }

  /** Off disables itself: the keyboard goes to the threshold field, to type another one. */
  autoAcceptOff(): void {
    this.setAutoAccept(null);
    this.store.requestFocus(['#auto-accept']);
  }

  cancelRun(): void {
    const { running, runId } = this.store.snapshot;
    this.store.post({ type: 'cancel', runId: running ? runId : null });
  }
}
