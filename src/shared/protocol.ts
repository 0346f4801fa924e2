import type { RunEvent, RunWarning } from './events';
import type { AgentStats, RunTotals } from './stats';
import { STRATEGIES, type Candidate, type SearchTree, type StrategyName } from './tree';

/**
 * The one message protocol between the extension host and the panel webview. Both sides import
 * these types; nothing else crosses the boundary. The webview posts `ready` first; the host
 * queues messages until then.
 */

export type PromptStatus = 'waiting' | 'searching' | 'done' | 'accepted' | 'rejected' | 'failed' | 'cancelled' | 'skipped';

/**
 * How the panel's run ended; absent while it runs (and in snapshots saved before it existed).
 * `interrupted`: the window closed or reloaded during the run, so it never ended.
 */
export type RunOutcome = 'finished' | 'cancelled' | 'stopped' | 'interrupted';

export interface PromptEntry {
  id: string;
  preview: string;
  status: PromptStatus;
  /** Why it failed, or what was written when accepted. */
  reason?: string;
  /** Set when `reason` says a decision on it was refused or failed to save. */
  reasonLevel?: 'error';
  /**
   * The best reward so far, the best answer's as the finished prompt names it (see best-answer):
   * a blank response's only while every response is blank.
   */
  bestReward?: number;
  /**
   * Set while the search's running best is a blank response's, as every response so far is
   * blank: the first answer takes its place, whatever its reward. Cleared when the prompt is done.
   */
  bestBlank?: true;
  plays: number;
  /**
   * Set on a prompt Show tree put in the panel, read from a trace rather than searched by the run
   * shown: not one of the run's prompts, so its counts leave it out. The search it shows: its
   * trace row's prompt id, and its run id when the row names it.
   */
  shown?: ShownSearch;
}

/** The search a tree Show tree put in the panel comes from (see PromptEntry.shown). */
export interface ShownSearch {
  promptId: string;
  runId?: string;
}

/** One row of a strategy comparison (same prompts, same budget). */
export interface CompareRow {
  strategy: StrategyName;
  /** The mean of the prompts' best rewards; null when no prompt finished (JSON keeps it, as saved with the panel). */
  meanBestReward: number | null;
  /** Prompts done. */
  prompts: number;
  /** Prompts whose search failed (their reason went out as prompt-failed). */
  failed: number;
  plays: number;
  tokens: number;
  costUsd: number;
  elapsedMs: number;
}

/**
 * Reward against plays for the whole run, as running sums indexed by k - 1, where k counts the
 * plays a prompt has finished: mean best-so-far at k is `best[k-1] / count[k-1]`. Kept as sums
 * so it costs O(1) per play and survives trees being dropped from the snapshot.
 */
export interface RewardCurve {
  best: number[];
  reward: number[];
  count: number[];
}

/**
 * A run being set up, before its first event: setting up the endpoints, asking for keys,
 * restoring a crashed run's rows, reading the trace to resume (seconds on a big one). The panel
 * shows it, with Cancel run, until the run starts or its setup ends without one.
 */
export interface RunPreparing {
  /** Where the prompts come from, e.g. `prompts.jsonl`. */
  source: string;
  /** What the setup is doing, e.g. `reading data/traces.jsonl for the prompts already done`. */
  step: string;
  /**
   * How far the step got, e.g. `120,000 of 1,000,000 lines`: shown after the step, and left out
   * of what a screen reader is told (it changes several times a second).
   */
  progress?: string;
}

/** Counts of a run's prompts that a saved snapshot does not list (see countPrompts). */
export interface LeftOutPrompts {
  /** Prompts the run searched or was to search (resume's skipped ones apart). */
  searched: number;
  /** Of those, the ones whose search ended (not cut short). */
  finished: number;
  /** Prompts resume skipped. */
  skipped: number;
  plays: number;
}

/** Everything the panel shows, sent whole on `ready` (so a reloaded panel comes back as it was). */
export interface PanelSnapshot {
  runId: string | null;
  running: boolean;
  /**
   * The run was cancelled and is ending: the prompts whose outputs it still writes before it
   * stops (run-cancelling). Absent otherwise.
   */
  cancelling?: string[];
  outcome?: RunOutcome;
  /** A new run is being set up (see RunPreparing); the rest is still the run before. Never saved. */
  preparing?: RunPreparing;
  strategy: StrategyName;
  budget: number;
  agents: string[];
  agentStats: AgentStats[];
  totals: RunTotals | null;
  prompts: PromptEntry[];
  /** The run's input rows when known up front (run-start's `prompts`): `prompts` lists only those queued so far. */
  inputPrompts?: number;
  /**
   * The run's prompts a saved snapshot does not list (it keeps the newest, see
   * persistableSnapshot), summed up for its counts. Absent when `prompts` lists them all.
   */
  promptsLeftOut?: LeftOutPrompts;
  /** Trees of the prompts of this run, by prompt id (finished and live). */
  trees: Record<string, SearchTree>;
  /**
   * The prompts whose finished tree the host holds but left out of the snapshot it sent: a
   * hidden panel reloads when shown again, and hundreds of trees crossed on each reveal. The
   * panel asks for one (`tree-request`) when it shows that prompt. Only in snapshots sent to a
   * webview; the run's next run-start clears it.
   */
  unsentTrees?: string[];
  autoAcceptAbove: number | null;
  compare: CompareRow[] | null;
  /** Output paths, relative to the workspace, for the curation footer. */
  outputs: { sft: string; preference: string; trace: string };
  /**
   * Who answers the run: the built-in simulator (no configuration file, or the simulator setting
   * on), or the configuration's endpoints. Absent in snapshots saved before it existed.
   */
  endpoints?: 'simulator' | 'workspace';
  /** Run-level reward curve (optional: snapshots built before it existed lack it). */
  runCurve?: RewardCurve;
  /** The run's `run-warning`s, one per code (optional, like runCurve). */
  warnings?: RunWarning[];
  /**
   * The strategies of the last comparison whose runs the host still holds: their Compare rows
   * open them (`show-strategy`). Absent once another run starts, and after a window reload
   * (only the run shown is saved).
   */
  compareViews?: StrategyName[];
  /**
   * A comparison is running: the Compare tab says so rather than offering the command being run
   * (or showing the rows of the comparison before). Never saved: a reload ends the run.
   */
  comparing?: boolean;
}

/**
 * A run event as the panel receives it: every RunEvent is one. The host sends `prompt-done`
 * without the finished tree when the panel already holds that very tree, built from the prompt's
 * `node-added` and `play-done` (see PanelChannel): re-sent with each prompt, the trees were half
 * of all the traffic to the panel. Show tree's trees, read from the trace, come with theirs.
 */
export type PanelEvent =
  | Exclude<RunEvent, { type: 'prompt-done' }>
  | { type: 'prompt-done'; promptId: string; best: Pick<Candidate, 'nodeId' | 'reward'>; tree?: SearchTree }
  /**
   * Show tree put a trace row's tree in the panel under `promptId`: a prompt of the run shown
   * gets the tree; any other is listed as shown (PromptEntry.shown), apart from the run's prompts.
   */
  | { type: 'prompt-shown'; promptId: string; preview: string; tree: SearchTree; best: Pick<Candidate, 'nodeId' | 'reward'>; search: ShownSearch };

/** The snapshot's fields that come from settings, not from a run: `configure` sets those given. */
export type PanelSettings = Partial<Pick<PanelSnapshot, 'autoAcceptAbove' | 'outputs' | 'endpoints'>>;

export type HostToWebview =
  | { type: 'snapshot'; snapshot: PanelSnapshot }
  /**
   * Settings the snapshot carries changed (each run sets them as it starts): only those, not the
   * whole snapshot again, which holds up to hundreds of the last run's trees.
   */
  | { type: 'settings'; settings: PanelSettings }
  /** Run events, batched (at most every ~100 ms, see PanelChannel) so a 2,000-node tree stays responsive. */
  | { type: 'events'; events: PanelEvent[] }
  /**
   * A curation verdict. `runId` names the run whose prompt it is: a verdict for a compared
   * strategy's run that is not shown is kept with that run, not applied to the one shown.
   * `level` 'error' says the decision was not saved, and `reason` why.
   */
  | { type: 'prompt-status'; promptId: string; status: PromptStatus; reason?: string; level?: 'error'; runId?: string }
  /** A comparison started: its rows come with `compare` when it ends. */
  /** A run's setup moved on to `preparing.step`; null: it ended without a run (refused, cancelled). run-start ends it too. */
  | { type: 'preparing'; preparing: RunPreparing | null }
  | { type: 'compare-start' }
  /** A comparison ended: its rows, and (set by the host's panel channel) the runs it holds. */
  | { type: 'compare'; rows: CompareRow[]; views?: StrategyName[] }
  | { type: 'select-prompt'; promptId: string }
  /** The answer to `tree-request`: the tree, or null when the host no longer holds it (or that run is not shown). */
  | { type: 'tree'; runId: string; promptId: string; tree: SearchTree | null }
  /**
   * The answer to showing a compared strategy's run, asked from the Compare tab or the palette:
   * `shown` follows the run's snapshot (and the panel opens its Run tab); a refusal follows the
   * notice saying why. It names its strategy, so the panel's "opening…" ends on its own answer.
   */
  | { type: 'show-strategy-result'; strategy: StrategyName; shown: boolean }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

export type WebviewToHost =
  /** `promptId`: the prompt the page will show (its saved selection), so the snapshot brings its tree. */
  | { type: 'ready'; promptId?: string }
  /** The tree of a prompt the snapshot left out (`unsentTrees`), to show it; answered with `tree`. */
  | { type: 'tree-request'; runId: string; promptId: string }
  /**
   * Accept a response as the SFT answer; `text` is set when the user edited it first. Decisions
   * name the run shown when they were taken: a comparison's runs share their prompt ids.
   */
  | { type: 'accept'; runId: string; promptId: string; nodeId: number; text?: string }
  | { type: 'reject'; runId: string; promptId: string }
  | { type: 'preference'; runId: string; promptId: string; chosen: number; rejected: number }
  | { type: 'set-auto-accept'; threshold: number | null }
  /** Show this strategy's run of the last comparison (one of `compareViews`). */
  | { type: 'show-strategy'; strategy: StrategyName }
  /**
   * Cancel run: `runId` names the run the panel showed running, null a run being set up (it has
   * no id yet). The host cancels no other: a click about a run that has ended since is dropped.
   */
  | { type: 'cancel'; runId: string | null };

/** Checks the type and the fields' types: the webview is a page, and the host trusts no page. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const isId = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  switch (m.type) {
    case 'ready':
      return m.promptId === undefined || typeof m.promptId === 'string';
    case 'cancel':
      return m.runId === null || typeof m.runId === 'string';
    case 'accept':
      return isDecision(m) && isId(m.nodeId) && (m.text === undefined || typeof m.text === 'string');
    case 'tree-request':
    case 'reject':
      return isDecision(m);
    case 'preference':
      return isDecision(m) && isId(m.chosen) && isId(m.rejected);
    case 'set-auto-accept':
      return m.threshold === null || (typeof m.threshold === 'number' && Number.isFinite(m.threshold));
    case 'show-strategy':
      return STRATEGIES.includes(m.strategy as StrategyName);
    default:
      return false;
  }
}

function isDecision(m: Record<string, unknown>): boolean {
  return typeof m.promptId === 'string' && typeof m.runId === 'string';
}
