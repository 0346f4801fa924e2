import { applyHostMessage, bestResponse, emptySnapshot, findPrompt, isUnsent } from '../src/shared/panel-state';
import type { HostToWebview, PanelEvent, PanelSnapshot, PromptEntry, WebviewToHost } from '../src/shared/protocol';
import type { RunWarning } from '../src/shared/events';
import type { SearchTree, StrategyName } from '../src/shared/tree';
import { decisionAnnouncement, warningAnnouncement } from './announcements';
import { readUiState, type UiState } from './ui-state';
import type { VsCodeApi } from './vscode-api';
import { heldTree } from '../src/shared/held-trees';
import { FollowedPrompt } from './followed-prompt';

/**
 * The webview's single source of truth: the run snapshot (folded from host messages with the
 * shared reducer), the UI state, and a version number that changes with either. Listeners are
 * called at most once per animation frame however many messages arrive, so a burst of events
 * costs one render.
 */

export interface Notice {
  level: 'info' | 'error';
  message: string;
}

/** Every host message type, as a record so that a type added to the protocol and not here fails to compile (it would be dropped). */
const HOST_TYPES = new Set(Object.keys({ snapshot: true, settings: true, events: true, 'prompt-status': true, preparing: true, 'compare-start': true, compare: true, 'select-prompt': true, tree: true, 'show-strategy-result': true, notice: true } satisfies Record<HostToWebview['type'], true>));

/** The prompts a host message can change the status or tree of. */
function touchedPrompts(message: HostToWebview): string[] {
  if (message.type === 'events') return message.events.flatMap((e) => ('promptId' in e ? [e.promptId] : []));
  return message.type === 'prompt-status' || message.type === 'tree' ? [message.promptId] : [];
}

export class PanelStore {
  snapshot: PanelSnapshot = emptySnapshot();
  ui: UiState;
  notice: Notice | null = null;
  /** Curation actions sent, by prompt id, until the host reports the new status. */
  readonly pending = new Map<string, string>();
  /** The compared strategy asked for with show-strategy, until the host answers for that strategy. */
  openingStrategy: StrategyName | null = null;
  /**
   * Where keyboard focus goes once drawn, when the control that had it goes away or is disabled
   * (a tab the store opened, a decided prompt's buttons): selectors, the first one present and
   * enabled wins. Without it focus would fall to the page, and a keyboard user start over.
   */
  focusRequest: readonly string[] | null = null;
  /**
   * News for the live region that reads it out once: the host's answer to the user's last
   * decision, the run's new warnings, an info notice. Inserting an element that is itself a live
   * region (role=status) is not reliably read: screen readers watch regions that were there first.
   */
  announcement = '';
  version = 0;
  /** The tree asked for with tree-request (`runId/promptId`), until the host answers. */
  private treeAsked: string | null = null;
  /** The live prompt and the last one with a tree, kept as messages arrive (see selectedPrompt). */
  private readonly followed = new FollowedPrompt();
  private listeners = new Set<() => void>();
  private frame = 0;

  constructor(
    private readonly api: VsCodeApi,
    private readonly nextFrame: (callback: () => void) => number = (cb) => requestAnimationFrame(cb),
  ) {
    this.ui = readUiState(api.getState());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message from the host; anything that is not a HostToWebview is ignored. */
  receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || !HOST_TYPES.has((data as { type: HostToWebview['type'] }).type)) return;
    const message = data as HostToWebview;
    const warnings = new Set(this.snapshot.warnings);
    this.snapshot = applyHostMessage(this.snapshot, message);
    this.followed.touched(this.snapshot, touchedPrompts(message));
    // A half-built preference pair names node ids of one prompt's tree: another prompt, or a
    // new run (whose trees reuse the ids), must not inherit it.
    if (message.type === 'select-prompt') {
      const other = message.promptId !== this.ui.promptId;
      this.setUi({ tab: 'prompt', promptId: message.promptId, follow: false, nodeId: null, ...(other ? { chosen: null, rejected: null } : {}) });
    }
    // Another run (a new one, or a compared strategy's): the selection (node, pair, draft) and the
    // notice were about the run before, whose node ids name other nodes here. Checked against the
    // run the selection was made in, which the saved UI state keeps, so a page recreated meanwhile
    // (hidden panel, reload) drops it too; a page that knows no run yet keeps what it restored
    // unless a run starts.
    // A run that starts is followed live again: a prompt picked in the run before, if this run
    // has it too, is waiting or already done (skipped) here, and the Prompt tab showed it instead
    // of the search going on.
    if (this.snapshot.runId !== null && this.snapshot.runId !== this.ui.runId) {
      const started = message.type === 'events' && message.events.some((e) => e.type === 'run-start');
      const stale = this.ui.runId !== null || started;
      if (stale) this.notice = null;
      this.setUi({ ...(stale ? { nodeId: null, chosen: null, rejected: null, draft: null } : {}), ...(started ? { follow: true, promptId: null } : {}), runId: this.snapshot.runId });
    }
    // Only warnings events bring: a snapshot's were there before this page, or were read already.
    if (message.type === 'events') this.announceWarnings(warnings, message.events);
    if (message.type === 'notice') this.setNotice({ level: message.level, message: message.message });
    if (message.type === 'show-strategy-result') this.strategyAnswered(message.strategy, message.shown);
    if (message.type === 'prompt-status' && this.pending.delete(message.promptId)) this.announce(decisionAnnouncement(this.snapshot, message));
    if (message.type === 'snapshot') this.pending.clear();
    if (message.type === 'snapshot' || message.type === 'tree') this.treeAsked = null;
    this.askForTree();
    this.changed(this.shows(message));
  }

  /** Whether the prompt shown has a tree the host left out of the snapshot, asked for and on its way. */
  get treeLoading(): boolean {
    const prompt = this.selectedPrompt;
    return prompt !== undefined && isUnsent(this.snapshot, prompt.id);
  }

  /** Asks the host for the shown prompt's tree when the snapshot left it out (once per prompt). */
  private askForTree(): void {
    const { runId } = this.snapshot;
    const prompt = this.selectedPrompt;
    if (runId === null || !prompt || !isUnsent(this.snapshot, prompt.id)) return;
    const key = `${runId}/${prompt.id}`;
    if (this.treeAsked === key) return;
    this.treeAsked = key;
    this.api.postMessage({ type: 'tree-request', runId, promptId: prompt.id });
  }

  /**
   * Whether the message can change what the panel shows. A prompt's tree events (node-added,
   * play-done) show only in the Run tab (its row, the run chart), in that prompt's own Prompt tab,
   * and in the header's play count until the run's first stats. A run searches many prompts at
   * once, and most batches are about prompts off screen: those are folded in, and drawn with the
   * next change that shows (version still moves, so the charts and lists take them then).
   */
  private shows(message: HostToWebview): boolean {
    if (message.type !== 'events' || this.ui.tab === 'run' || this.snapshot.totals === null) return true;
    // Asked once the message is folded in: a play can bring the prompt that is then shown.
    const shown = this.selectedPrompt?.id;
    return message.events.some((e) => (e.type !== 'node-added' && e.type !== 'play-done') || e.promptId === shown);
  }

  setUi(patch: Partial<UiState>): void {
    this.ui = { ...this.ui, ...patch };
    this.api.setState(this.ui);
    this.askForTree();
    this.changed();
  }

  post(message: WebviewToHost, pendingLabel?: string): void {
    this.api.postMessage(message);
    if (pendingLabel && 'promptId' in message && message.promptId !== undefined) {
      this.pending.set(message.promptId, pendingLabel);
      this.changed();
    }
  }

  requestFocus(selectors: readonly string[]): void {
    this.focusRequest = selectors;
    this.changed();
  }

  /** Asks the host for a compared strategy's run; its tab opens when the run arrives. */
  openStrategy(strategy: StrategyName): void {
    this.openingStrategy = strategy;
    this.post({ type: 'show-strategy', strategy });
    this.changed();
  }

  /**
   * The host's answer about a strategy's run, asked for here or from the palette: a run shown
   * opens in the Run tab; a refusal (its notice says why) leaves the user where they were. Only
   * the answer for the strategy being opened ends its "opening…": other messages can come first.
   */
  private strategyAnswered(strategy: StrategyName, shown: boolean): void {
    const asked = this.openingStrategy === strategy;
    if (asked) this.openingStrategy = null;
    if (!shown) return;
    // The link clicked has turned into the "shown" tag: the keyboard goes to the tab it opened.
    if (asked) this.focusRequest = ['vscode-tab-header.tab-run'];
    this.setUi({ tab: 'run' });
  }

  /**
   * A screen reader reads the region only when its text changes: the same words again as the
   * last time differ by a trailing space, which each repeat toggles.
   */
  private announce(text: string): void {
    this.announcement = text === this.announcement ? `${text}\u00a0` : text;
  }

  /**
   * Reads out the run's warnings not among `before`: those the events just brought (a run gives
   * each code once), but for a comparison's repeats, which its first run's warning said already.
   */
  private announceWarnings(before: ReadonlySet<RunWarning>, events: readonly PanelEvent[]): void {
    const repeats = new Set(events.flatMap((e) => (e.type === 'run-warning' && e.repeat ? [e.code] : [])));
    const news = (this.snapshot.warnings ?? []).filter((w) => !before.has(w) && !repeats.has(w.code));
    if (news.length) this.announce(news.map(warningAnnouncement).join(' '));
  }

  showNotice(notice: Notice): void {
    this.setNotice(notice);
    this.changed();
  }

  /** An error notice is an alert, read as it appears; an info notice is read from the news region. */
  private setNotice(notice: Notice): void {
    this.notice = notice;
    if (notice.level === 'info') this.announce(notice.message);
  }

  dismissNotice(): void {
    this.notice = null;
    this.changed();
  }

  /** The prompt the Prompt tab shows: the user's pick, else (following) the live one. */
  get selectedPrompt(): PromptEntry | undefined {
    const picked = this.ui.promptId === null ? undefined : findPrompt(this.snapshot, this.ui.promptId);
    if (picked && !this.ui.follow) return picked;
    const live = this.followed.lastSearching(this.snapshot);
    if (live) return live;
    if (picked) return picked;
    return this.followed.lastWithTree(this.snapshot) ?? this.snapshot.prompts[0];
  }

  get selectedTree(): SearchTree | undefined {
    const prompt = this.selectedPrompt;
    return prompt ? heldTree(this.snapshot.trees, prompt.id) : undefined;
  }

  /** The node the detail pane shows: the user's pick if it is in this tree, else the best. */
  get selectedNodeId(): number | null {
    const tree = this.selectedTree;
    if (!tree) return null;
    const id = this.ui.nodeId;
    if (id !== null && tree.nodes[id] && this.ui.promptId === tree.promptId) return id;
    return bestResponse(tree)?.id ?? null;
  }

  private changed(render = true): void {
    this.version += 1;
    if (!render || this.frame !== 0) return;
    this.frame = this.nextFrame(() => {
      this.frame = 0;
      for (const listener of this.listeners) listener();
    });
  }
}
