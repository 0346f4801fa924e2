import type { RunEvent } from '../../shared/events';
import { applyEvent, applyHostMessage, emptySnapshot, findPrompt, searchPending, treeIdsOldestFirst, type ApplyOptions } from '../../shared/panel-state';
import { isWebviewToHost, type CompareRow, type HostToWebview, type PanelEvent, type PanelSettings, type PanelSnapshot, type PromptEntry, type WebviewToHost } from '../../shared/protocol';
import { STRATEGY_TITLES, type StrategyName } from '../../shared/tree';
import { EventBatcher, realTimers, type Timers } from './event-batcher';
import { panelEvent } from './panel-event';
import { heldTree, holdTree } from '../../shared/held-trees';
import { tallyFrom, tallyPrompt } from '../../shared/prompt-counts';

/**
 * The host's side of the panel, without VS Code (so it is unit-tested): the authoritative
 * snapshot, event batching, and the hold-until-ready rule.
 *
 * Until the webview posts `ready`, nothing is sent. State messages (events, prompt statuses,
 * compare rows) are folded into the snapshot at once, and `ready` is answered with that
 * snapshot (its finished trees but the one on screen left for the webview to ask for, see
 * sentSnapshot); sending them again afterwards would apply them twice. Only transient messages
 * (notices, select-prompt) are queued and replayed after the snapshot.
 *
 * A comparison runs one run per strategy through the same snapshot. Between `beginCompare` and
 * `endCompare`, each run is kept as it ends, so the panel can show any of them afterwards
 * (`showStrategy`) and curation then reaches that strategy's answers; the next run drops them.
 */

export interface ChannelOptions extends ApplyOptions {
  /** Minimum time between two `events` messages. */
  flushMs?: number;
  timers?: Timers;
  snapshot?: PanelSnapshot;
}

/**
 * Least time between two `events` messages. Each batch redraws what it touches (on the Run tab,
 * every prompt's row and the run chart), and ten updates a second look as live as twenty, for half
 * the messages and frames.
 */
export const EVENTS_INTERVAL_MS = 100;

/** Transient messages kept for a webview that is not ready yet; older ones are dropped. */
const MAX_QUEUED = 20;

export class PanelChannel {
  private state: PanelSnapshot;
  private send: ((message: HostToWebview) => void) | undefined;
  private isReady = false;
  private queue: HostToWebview[] = [];
  private readonly batcher: EventBatcher<PanelEvent>;
  private readonly applyOptions: ApplyOptions;
  /** The runs of the last comparison by strategy, the shown one included. */
  private compared = new Map<StrategyName, PanelSnapshot>();
  private comparing = false;
  /** The prompt the webview shows, as it last said (`ready`, `tree-request`): snapshots bring its tree. */
  private onScreen: string | undefined;

  constructor(options: ChannelOptions = {}) {
    this.state = options.snapshot ?? emptySnapshot();
    this.applyOptions = options.treeLimit === undefined ? {} : { treeLimit: options.treeLimit };
    this.batcher = new EventBatcher((events) => this.deliver({ type: 'events', events }), options.flushMs ?? EVENTS_INTERVAL_MS, options.timers ?? realTimers);
  }

  get snapshot(): PanelSnapshot {
    return this.state;
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** A webview was created or reloaded: it gets nothing until it posts `ready`. */
  attach(send: (message: HostToWebview) => void): void {
    this.send = send;
    this.isReady = false;
    this.batcher.discard();
  }

  /** The webview went away (closed, or hidden: hidden webviews lose their page). */
  detach(): void {
    this.send = undefined;
    this.isReady = false;
    this.batcher.discard();
  }

  /**
   * Handles a raw message from the webview. Returns it typed if it is valid and meant for the
   * extension (everything but `ready` and `tree-request`, which are answered here), else undefined.
   */
  receive(raw: unknown): Exclude<WebviewToHost, { type: 'ready' | 'tree-request' }> | undefined {
    if (!isWebviewToHost(raw)) return undefined;
    if (raw.type === 'ready') {
      this.onScreen = raw.promptId;
      this.onReady();
      return undefined;
    }
    if (raw.type === 'tree-request') {
      this.onScreen = raw.promptId;
      const tree = raw.runId === this.state.runId ? heldTree(this.state.trees, raw.promptId) : undefined;
      if (this.isReady) this.deliver({ type: 'tree', runId: raw.runId, promptId: raw.promptId, tree: tree ?? null });
      return undefined;
    }
    if (raw.type === 'set-auto-accept') this.state.autoAcceptAbove = raw.threshold;
    return raw;
  }

  /** A comparison starts: each strategy's run is kept when it ends, until `endCompare`. */
  beginCompare(): void {
    this.comparing = true;
    this.compared = new Map();
    this.post({ type: 'compare-start' });
  }

  pushEvent(event: RunEvent | PanelEvent): void {
    if (event.type === 'run-start' && !this.comparing) this.compared = new Map();
    // Folded here as the webview folds it, so both hold the same trees.
    const sent = panelEvent(this.state, event);
    applyEvent(this.state, sent, this.applyOptions);
    // run-start gives the snapshot new prompts, trees and stats rather than clearing them in
    // place, so a shallow copy keeps the run that just ended.
    if (event.type === 'run-done' && this.comparing) this.compared.set(this.state.strategy, { ...this.state });
    if (this.isReady) this.batcher.push(sent);
  }

  /**
   * Shows one strategy's run of the last comparison, with the comparison's rows and the panel's
   * settings; false when it is not held (no comparison, one still running, or another run since),
   * which a notice then says. Either way the panel gets the answer for that strategy last.
   */
  showStrategy(strategy: StrategyName): boolean {
    const run = this.comparing ? undefined : this.compared.get(strategy);
    if (!run) this.post({ type: 'notice', level: 'info', message: this.whyNotHeld(strategy) });
    else if (run !== this.state) {
      const { compare, compareViews, autoAcceptAbove, outputs } = this.state;
      // Kept as it ended, mid-comparison, the run still says the comparison runs: it has ended.
      delete run.comparing;
      this.post({ type: 'snapshot', snapshot: Object.assign(run, { compare, compareViews, autoAcceptAbove, outputs }) });
    }
    this.post({ type: 'show-strategy-result', strategy, shown: run !== undefined });
    return run !== undefined;
  }

  /**
   * Why a compared strategy's run cannot be shown: the panel's notice when `showStrategy` says
   * no, and the command's message when there is nothing to pick (no `strategy`).
   */
  whyNotHeld(strategy?: StrategyName): string {
    if (this.comparing) return 'The comparison is still running; its strategies open once it has ended.';
    const dropped = "a new run drops the comparison's runs, and a window reload keeps only the one shown";
    return strategy === undefined
      ? `There is no comparison to show. Run "Compare Strategies on Selection" first; ${dropped}.`
      : `The comparison's ${STRATEGY_TITLES[strategy]} run is not held any more: ${dropped}. Compare again to see it.`;
  }

  /** The run shown, or the comparison's run with this id; undefined for a run no longer held. */
  snapshotOf(runId: string): PanelSnapshot | undefined {
    if (this.state.runId === runId) return this.state;
    for (const run of this.compared.values()) if (run.runId === runId) return run;
    return undefined;
  }

  post(message: HostToWebview): void {
    if (message.type === 'events') {
      for (const event of message.events) this.pushEvent(event);
      return;
    }
    if (message.type === 'prompt-status' && message.runId !== undefined && message.runId !== this.state.runId) {
      // A verdict about a compared strategy's run that is not shown: it stays with that run.
      const run = this.snapshotOf(message.runId);
      if (run) applyHostMessage(run, message, this.applyOptions);
      return;
    }
    this.state = applyHostMessage(this.state, message, this.applyOptions);
    if (message.type === 'snapshot') this.batcher.discard();
    if (this.isReady) {
      // Pending events happened before this message; keep them in order.
      this.batcher.flushNow();
      this.deliver(message.type === 'snapshot' ? { type: 'snapshot', snapshot: sentSnapshot(this.state, this.onScreen) } : message);
    } else if (message.type === 'notice' || message.type === 'select-prompt' || message.type === 'show-strategy-result') {
      this.queue.push(message);
      if (this.queue.length > MAX_QUEUED) this.queue.shift();
    }
  }

  /** Changes settings the snapshot carries; a ready webview gets them (not the whole snapshot again). */
  configure(settings: PanelSettings): void {
    this.post({ type: 'settings', settings });
  }

  /**
   * The comparison ended with these rows (none if it failed): the panel gets them, and the rows
   * of the runs it holds open them. The run shown, its last, stays the live snapshot.
   */
  endCompare(rows: CompareRow[]): void {
    this.comparing = false;
    if (rows.length) this.compared.set(this.state.strategy, this.state);
    const views = rows.map((r) => r.strategy).filter((s) => this.compared.has(s));
    // Runs without a row (a strategy the cancel cut short) are not offered: drop them.
    for (const strategy of this.compared.keys()) if (!views.includes(strategy)) this.compared.delete(strategy);
    this.post({ type: 'compare', rows, views });
  }

  dispose(): void {
    this.detach();
    this.queue = [];
  }

  private onReady(): void {
    this.isReady = true;
    this.batcher.discard();
    this.deliver({ type: 'snapshot', snapshot: sentSnapshot(this.state, this.onScreen) });
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) this.deliver(message);
  }

  private deliver(message: HostToWebview): void {
    this.send?.(message);
  }
}

/**
 * The snapshot as a webview gets it: with the trees of the prompts being searched (which their
 * events go on growing), of the prompt on screen, and of the one the panel opens by default (the
 * last with a tree); the others are named in `unsentTrees`, and sent when the panel shows one.
 * Up to 500 trees of real answers were tens of MB, sent on every reveal of a hidden panel.
 */
function sentSnapshot(snapshot: PanelSnapshot, onScreen: string | undefined): PanelSnapshot {
  const held = Object.keys(snapshot.trees);
  if (!held.length) return snapshot;
  const wanted = new Set(snapshot.prompts.filter((p) => searchPending(p.status)).map((p) => p.id));
  if (onScreen !== undefined) wanted.add(onScreen);
  const last = snapshot.prompts.findLast((p) => heldTree(snapshot.trees, p.id) !== undefined);
  if (last) wanted.add(last.id);
  const trees: PanelSnapshot['trees'] = {};
  const unsentTrees: string[] = [];
  for (const id of held) {
    if (wanted.has(id)) holdTree(trees, id, snapshot.trees[id]!);
    else unsentTrees.push(id);
  }
  return { ...snapshot, trees, unsentTrees };
}

/**
 * A snapshot saved during a run, as the reloaded window shows it: no run is going any more, so
 * prompts that were waiting or being searched were cut short (and can be run again), not
 * searches still running that no decision may be taken on.
 */
export function restoredSnapshot(saved: PanelSnapshot): PanelSnapshot {
  // Cancelled, as a run's end marks the prompts it cut short: nothing failed, and Synthesize File goes on with them.
  const interrupted = (p: PromptEntry): PromptEntry => (searchPending(p.status) ? { ...p, status: 'cancelled', reason: 'interrupted: the window closed during the run; a resumed run searches it again' } : p);
  // Without an outcome the header would say Finished; pending prompts tell a run cut short from
  // a finished one saved before outcomes existed.
  const cut = saved.outcome === undefined && saved.prompts.some((p) => searchPending(p.status));
  return { ...saved, running: false, prompts: saved.prompts.map(interrupted), ...(cut ? { outcome: 'interrupted' as const } : {}) };
}

/**
 * A copy of the snapshot small enough to keep in workspace state, so a reloaded window shows
 * the last run: only the run's most recent `maxTrees` trees (and as many of those Show tree put
 * in the panel), the entries of the newest `maxPrompts` prompts and of those trees, the others
 * summed up for the counts (promptsLeftOut: a run of 50,000 prompts was 10 MB, saved every few
 * seconds), never marked running (the run did not
 * survive the reload), and without the comparison's other runs, which are not saved. A run
 * saved while running (or cancelling) is saved as interrupted, which it is if the window goes
 * now: saved as it starts, it has no prompt yet that would tell restoredSnapshot so.
 */
export function persistableSnapshot(snapshot: PanelSnapshot, maxTrees: number, maxPrompts: number): PanelSnapshot {
  // As many of the trees Show tree put in the panel again: they must not push the run's own out.
  const ids = treeIdsOldestFirst(snapshot);
  const shown = ids.filter((id) => findPrompt(snapshot, id)?.shown);
  const own = shown.length ? ids.filter((id) => !findPrompt(snapshot, id)?.shown) : ids;
  const trees: PanelSnapshot['trees'] = {};
  for (const id of [...own.slice(-maxTrees), ...shown.slice(-maxTrees)]) holdTree(trees, id, snapshot.trees[id]!);
  const { compareViews: _notSaved, comparing: _ended, cancelling: _endedToo, preparing: _setupEnds, ...saved } = snapshot;
  return { ...saved, ...newestPrompts(snapshot, trees, maxPrompts), running: false, ...(snapshot.running ? { outcome: 'interrupted' as const } : {}), trees };
}

/**
 * The entries of the newest `max` prompts and of the prompts whose tree is kept (`trees`), in
 * their order; the run's others are summed up in promptsLeftOut (with those a snapshot saved
 * before left out). Show tree's are not the run's: left out, they are not counted.
 */
function newestPrompts(snapshot: PanelSnapshot, trees: PanelSnapshot['trees'], max: number): Pick<PanelSnapshot, 'prompts' | 'promptsLeftOut'> {
  const { prompts } = snapshot;
  if (prompts.length <= max) return { prompts };
  const from = prompts.length - max;
  const kept: PromptEntry[] = [];
  const left = tallyFrom(snapshot.promptsLeftOut);
  prompts.forEach((p, i) => {
    if (i >= from || heldTree(trees, p.id) !== undefined) kept.push(p);
    else if (!p.shown) tallyPrompt(left, p);
  });
  return { prompts: kept, promptsLeftOut: left };
}
