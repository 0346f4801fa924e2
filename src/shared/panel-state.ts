import type { RunEvent, RunWarning } from './events';
import type { HostToWebview, PanelEvent, PanelSettings, PanelSnapshot, PromptEntry, PromptStatus, RewardCurve, RunOutcome } from './protocol';
import type { SearchTree, TreeNode } from './tree';
import { heldTree, holdTree } from './held-trees';
import { bestOf, holdsAnswer, outranks, type Standing } from './best-answer';
import { TreeOrder } from './tree-order';

/**
 * The panel's state machine, shared by the extension host (which answers `ready` with a full
 * snapshot) and the webview (which applies live updates). Both sides run the same code, so a
 * reloaded panel shows exactly what a live one would.
 *
 * Every function here MUTATES the snapshot it is given and returns it: a 2,000-node tree grows
 * one node per event, and copying it per event would be quadratic. Costs: `node-added` O(1)
 * amortized, `play-done` O(path length), prompt lookups O(1) through a side index, and
 * `prompt-done`'s dropping of old trees O(1) amortized through another (see TreeOrder).
 */

/** Trees kept in a snapshot before the oldest finished ones are dropped (statuses stay). */
const DEFAULT_TREE_LIMIT = 500;

export interface ApplyOptions {
  /** Finished trees kept in memory; live trees are never dropped. */
  treeLimit?: number;
}

export function emptySnapshot(init: Partial<Pick<PanelSnapshot, 'outputs' | 'autoAcceptAbove'>> = {}): PanelSnapshot {
  return {
    runId: null,
    running: false,
    strategy: 'toa',
    budget: 0,
    agents: [],
    agentStats: [],
    totals: null,
    prompts: [],
    trees: {},
    autoAcceptAbove: init.autoAcceptAbove ?? null,
    compare: null,
    outputs: init.outputs ?? { sft: '', preference: '', trace: '' },
    runCurve: emptyCurve(),
    warnings: [],
  };
}

function emptyCurve(): RewardCurve {
  return { best: [], reward: [], count: [] };
}

export function applyEvents(snapshot: PanelSnapshot, events: readonly PanelEvent[], options?: ApplyOptions): PanelSnapshot {
  for (const event of events) applyEvent(snapshot, event, options);
  return snapshot;
}

/** Folds one run event into `snapshot` (in place) and returns it. */
export function applyEvent(snapshot: PanelSnapshot, event: PanelEvent, options: ApplyOptions = {}): PanelSnapshot {
  switch (event.type) {
    case 'run-start':
      startRun(snapshot, event.runId, event);
      break;
    case 'prompt-queued':
      addPrompt(snapshot, { id: event.promptId, preview: event.preview, status: 'waiting', plays: 0 });
      break;
    case 'prompt-skipped':
      // Listed with its text, so the user sees which of their prompts resume passed over.
      addPrompt(snapshot, { id: event.promptId, preview: event.preview ?? '', status: 'skipped', plays: 0 });
      setPromptStatus(snapshot, event.promptId, 'skipped', 'already done: its search is in the trace output');
      break;
    case 'prompt-start':
      setPromptStatus(snapshot, event.promptId, 'searching');
      treeFor(snapshot, event.promptId);
      break;
    case 'node-added':
      addNode(treeFor(snapshot, event.promptId), event.node);
      break;
    case 'play-done':
      recordPlay(snapshot, event);
      break;
    case 'prompt-done':
      finishPrompt(snapshot, event.promptId, finalTree(snapshot, event), event.best.reward, options.treeLimit ?? DEFAULT_TREE_LIMIT);
      break;
    case 'prompt-shown':
      showPrompt(snapshot, event, options.treeLimit ?? DEFAULT_TREE_LIMIT);
      break;
    case 'prompt-failed':
      setPromptStatus(snapshot, event.promptId, 'failed', event.error);
      break;
    case 'prompt-cancelled':
      cancelPrompt(snapshot, event.promptId);
      break;
    case 'stats':
      snapshot.agentStats = event.agents;
      snapshot.totals = event.totals;
      break;
    case 'run-cancelling':
      snapshot.cancelling = [...event.saving];
      break;
    case 'run-done':
      endRun(snapshot, event);
      break;
    case 'run-warning': {
      // A repeat is this run's warning all the same: only what speaks once per comparison skips it.
      const { type: _event, repeat: _said, ...warning } = event;
      addWarning(snapshot, warning);
      break;
    }
    case 'call-retry':
      // Retries show up in the agents' `retries` column through the next `stats` event.
      break;
    default: {
      // A new event kind must be given its case (or said to need none), not fall through unseen.
      const _unhandled: never = event;
      break;
    }
  }
  return snapshot;
}

/**
 * A prompt-done's tree: the one it carries; without one, the one built from the prompt's
 * node-added and play-done; or the host's, left out of the snapshot (an unsent prompt): not an
 * empty one.
 */
function finalTree(snapshot: PanelSnapshot, event: Extract<PanelEvent, { type: 'prompt-done' }>): SearchTree | undefined {
  return event.tree ?? (isUnsent(snapshot, event.promptId) ? undefined : treeFor(snapshot, event.promptId));
}

/** A search from a trace (Show tree), listed as done; shown again, decisions go by the search shown last. */
function showPrompt(snapshot: PanelSnapshot, event: Extract<PanelEvent, { type: 'prompt-shown' }>, treeLimit: number): void {
  const entry = addPrompt(snapshot, { id: event.promptId, preview: event.preview, status: 'done', plays: 0, shown: { ...event.search } });
  // Shown again, from a newer trace row under the same key: addPrompt kept the entry as it was.
  if (entry.shown) entry.shown = { ...event.search };
  finishPrompt(snapshot, event.promptId, event.tree, event.best.reward, treeLimit);
}

/** A search cut short, said apart: with no answer there is nothing to accept or reject (the panel offers neither). */
function cancelPrompt(snapshot: PanelSnapshot, promptId: string): void {
  const tree = heldTree(snapshot.trees, promptId);
  const answered = tree !== undefined && bestResponse(tree, { answersOnly: true }) !== undefined;
  setPromptStatus(snapshot, promptId, 'cancelled', `cut short before ${answered ? 'its search ended' : 'any answer'} (the run was cancelled or stopped); a resumed run searches it again`);
}

function endRun(snapshot: PanelSnapshot, event: Extract<RunEvent, { type: 'run-done' }>): void {
  snapshot.running = false;
  delete snapshot.cancelling;
  snapshot.outcome = runOutcome(event);
  snapshot.totals = event.totals;
  // Prompts the run never got to (queued when it was cancelled or stopped) were not searched.
  for (const prompt of snapshot.prompts) {
    if (searchPending(prompt.status)) setPromptStatus(snapshot, prompt.id, 'cancelled', `not searched: the run ${event.stopped !== undefined ? 'stopped' : 'was cancelled'} first`);
  }
}

/** How a run that reached its end ended (one that never did is `interrupted`, see restoredSnapshot). */
export function runOutcome(event: Extract<RunEvent, { type: 'run-done' }>): RunOutcome {
  return event.stopped !== undefined ? 'stopped' : event.cancelled ? 'cancelled' : 'finished';
}

/**
 * Folds a host message into the snapshot. Returns the snapshot to use from now on: a
 * `snapshot` message replaces it; everything else mutates it in place.
 */
export function applyHostMessage(snapshot: PanelSnapshot, message: HostToWebview, options?: ApplyOptions): PanelSnapshot {
  switch (message.type) {
    case 'snapshot':
      return message.snapshot;
    case 'events':
      return applyEvents(snapshot, message.events, options);
    case 'settings':
      return Object.assign(snapshot, definedOnly(message.settings));
    case 'prompt-status':
      // A curation verdict that lands after a new run replaced the prompts is about a prompt
      // no longer shown: it must not come back as an empty entry.
      if (findPrompt(snapshot, message.promptId)) setPromptStatus(snapshot, message.promptId, message.status, message.reason, message.level);
      return snapshot;
    case 'preparing':
      if (message.preparing === null) delete snapshot.preparing;
      else snapshot.preparing = { ...message.preparing };
      return snapshot;
    case 'compare-start':
      snapshot.comparing = true;
      snapshot.compare = null;
      return snapshot;
    case 'compare':
      delete snapshot.comparing;
      snapshot.compare = message.rows;
      if (message.views) snapshot.compareViews = message.views;
      return snapshot;
    case 'tree':
      if (message.runId === snapshot.runId) receiveTree(snapshot, message.promptId, message.tree);
      return snapshot;
    case 'select-prompt':
    case 'show-strategy-result':
    case 'notice':
      return snapshot;
  }
}

/** Whether the host holds this prompt's tree but left it out of the snapshot (see `unsentTrees`). */
export function isUnsent(snapshot: PanelSnapshot, promptId: string): boolean {
  return snapshot.unsentTrees?.includes(promptId) ?? false;
}

/** A tree asked for with tree-request; null: the host no longer holds it, so none is shown. */
function receiveTree(snapshot: PanelSnapshot, promptId: string, tree: SearchTree | null): void {
  if (!isUnsent(snapshot, promptId)) return;
  const left = snapshot.unsentTrees!.filter((id) => id !== promptId);
  if (left.length) snapshot.unsentTrees = left;
  else delete snapshot.unsentTrees;
  if (tree) keepTree(snapshot, promptId, tree);
}

/** The settings given: an absent one is kept, not cleared. */
function definedOnly(settings: PanelSettings): PanelSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

function startRun(snapshot: PanelSnapshot, runId: string, event: Extract<RunEvent, { type: 'run-start' }>): void {
  snapshot.runId = runId;
  snapshot.running = true;
  delete snapshot.preparing;
  delete snapshot.cancelling;
  delete snapshot.outcome;
  snapshot.strategy = event.strategy;
  snapshot.budget = event.budget;
  snapshot.agents = [...event.agents];
  snapshot.agentStats = [];
  snapshot.totals = null;
  snapshot.prompts = [];
  delete snapshot.promptsLeftOut;
  if (event.prompts === undefined) delete snapshot.inputPrompts;
  else snapshot.inputPrompts = event.prompts;
  snapshot.trees = {};
  delete snapshot.unsentTrees;
  snapshot.runCurve = emptyCurve();
  snapshot.warnings = [];
  // The comparison's runs can be opened again only once it has ended (see PanelChannel).
  delete snapshot.compareViews;
}

function addWarning(snapshot: PanelSnapshot, warning: RunWarning): void {
  const warnings = (snapshot.warnings ??= []);
  if (!warnings.some((w) => w.code === warning.code)) warnings.push(warning);
}

// Prompt id -> index into `prompts`, kept beside the snapshot so the snapshot stays plain data.
// Keyed by the array, so a replaced snapshot (or a new run) starts a fresh index.
const promptIndex = new WeakMap<PromptEntry[], Map<string, number>>();

function indexOf(prompts: PromptEntry[]): Map<string, number> {
  let index = promptIndex.get(prompts);
  if (!index) {
    index = new Map(prompts.map((p, i) => [p.id, i]));
    promptIndex.set(prompts, index);
  }
  return index;
}

/**
 * Whether a prompt's search has not finished: its best answer is unknown, so the panel takes
 * no decision on it yet (and the host refuses one).
 */
export function searchPending(status: PromptStatus | undefined): boolean {
  return status === 'waiting' || status === 'searching';
}

export function findPrompt(snapshot: PanelSnapshot, promptId: string): PromptEntry | undefined {
  const i = indexOf(snapshot.prompts).get(promptId);
  const entry = i === undefined ? undefined : snapshot.prompts[i];
  return entry?.id === promptId ? entry : undefined;
}

/** A prompt's place in the run's list, without a scan. */
export function promptPosition(snapshot: PanelSnapshot, promptId: string): number | undefined {
  return findPrompt(snapshot, promptId) ? indexOf(snapshot.prompts).get(promptId) : undefined;
}

function addPrompt(snapshot: PanelSnapshot, entry: PromptEntry): PromptEntry {
  const existing = findPrompt(snapshot, entry.id);
  if (existing) return existing;
  indexOf(snapshot.prompts).set(entry.id, snapshot.prompts.length);
  snapshot.prompts.push(entry);
  return entry;
}

/** Prompts can report progress before (or without) being queued, e.g. after a resume. */
function promptFor(snapshot: PanelSnapshot, promptId: string): PromptEntry {
  return findPrompt(snapshot, promptId) ?? addPrompt(snapshot, { id: promptId, preview: '', status: 'waiting', plays: 0 });
}

function setPromptStatus(snapshot: PanelSnapshot, promptId: string, status: PromptStatus, reason?: string, level?: 'error'): void {
  const entry = promptFor(snapshot, promptId);
  entry.status = status;
  if (reason === undefined) delete entry.reason;
  else entry.reason = reason;
  if (level === undefined) delete entry.reasonLevel;
  else entry.reasonLevel = level;
}

function treeFor(snapshot: PanelSnapshot, promptId: string): SearchTree {
  let tree = heldTree(snapshot.trees, promptId);
  if (!tree) {
    tree = { promptId, strategy: snapshot.strategy, agents: [...snapshot.agents], budget: snapshot.budget, plays: 0, nodes: [] };
    keepTree(snapshot, promptId, tree);
  }
  return tree;
}

/**
 * Copies the node (the host may hand us the core's live object, whose arrays keep changing) and
 * links it under its parent. A repeated id is ignored, so replaying an event is harmless.
 */
function addNode(tree: SearchTree, node: TreeNode): void {
  if (tree.nodes[node.id]) return;
  const copy: TreeNode = { ...node, children: [...node.children], values: [...node.values] };
  if (node.sources) copy.sources = [...node.sources];
  tree.nodes[node.id] = copy;
  const parent = node.parent === null ? undefined : tree.nodes[node.parent];
  if (!parent) return;
  const siblings = parent.children;
  // Ids grow, so a new child normally sorts last; only search when it might already be there.
  const last = siblings[siblings.length - 1];
  if (last === undefined || last < node.id || !siblings.includes(node.id)) siblings.push(node.id);
}

function recordPlay(snapshot: PanelSnapshot, event: Extract<RunEvent, { type: 'play-done' }>): void {
  const tree = treeFor(snapshot, event.promptId);
  tree.plays = Math.max(tree.plays, event.play);
  for (const id of event.path) {
    const node = tree.nodes[id];
    if (!node) continue;
    node.visits += 1;
    node.values.push(event.value);
  }
  const entry = promptFor(snapshot, event.promptId);
  entry.plays += 1;
  raiseBest(entry, { reward: event.reward, answer: holdsAnswer(tree.nodes[event.nodeId]?.text) });
  addToCurve((snapshot.runCurve ??= emptyCurve()), entry.plays - 1, entry.bestReward!, event.reward);
}

/** The running best follows the rule that names the finished prompt's best (see best-answer). */
function raiseBest(entry: PromptEntry, played: Standing): void {
  const best = entry.bestReward === undefined ? undefined : { reward: entry.bestReward, answer: entry.bestBlank !== true };
  if (!outranks(played, best)) return;
  entry.bestReward = played.reward;
  if (played.answer) delete entry.bestBlank;
  else entry.bestBlank = true;
}

function addToCurve(curve: RewardCurve, k: number, best: number, reward: number): void {
  while (curve.count.length <= k) {
    curve.best.push(0);
    curve.reward.push(0);
    curve.count.push(0);
  }
  curve.best[k]! += best;
  curve.reward[k]! += reward;
  curve.count[k]! += 1;
}

/** `tree` undefined: the host holds it and the panel asks for it when shown (see `unsentTrees`). */
function finishPrompt(snapshot: PanelSnapshot, promptId: string, tree: SearchTree | undefined, bestReward: number, treeLimit: number): void {
  if (tree) keepTree(snapshot, promptId, tree);
  const entry = promptFor(snapshot, promptId);
  // A curation decision may have landed first (auto-accept runs before `prompt-done` is sent).
  if (entry.status !== 'accepted' && entry.status !== 'rejected') entry.status = 'done';
  if (tree) entry.plays = tree.plays;
  entry.bestReward = bestReward;
  delete entry.bestBlank;
  dropOldTrees(snapshot, treeLimit);
}

/** Drops the oldest finished trees beyond `limit` (see treeIdsOldestFirst). */
function dropOldTrees(snapshot: PanelSnapshot, limit: number): void {
  const order = treeOrderOf(snapshot);
  if (order.size <= limit) return;
  for (const id of order.dropOldest(order.size - limit, (id) => searchPending(findPrompt(snapshot, id)?.status))) delete snapshot.trees[id];
}

// The trees' order (see TreeOrder), kept beside the snapshot as the prompt index is. Keyed by the
// trees object, which a new run or a replaced snapshot replaces: the order is then built afresh.
const treeOrders = new WeakMap<Record<string, SearchTree>, TreeOrder>();

function treeOrderOf(snapshot: Pick<PanelSnapshot, 'prompts' | 'trees'>): TreeOrder {
  let order = treeOrders.get(snapshot.trees);
  if (!order) {
    order = new TreeOrder();
    const ranked = Object.keys(snapshot.trees).map((id) => ({ id, rank: rankOf(snapshot, id) }));
    for (const { id, rank } of ranked.sort((a, b) => a.rank - b.rank)) order.add(id, rank);
    treeOrders.set(snapshot.trees, order);
  }
  return order;
}

/**
 * Where a tree sorts: at its prompt's place in the run's list; a tree whose prompt is not listed
 * yet (its events came first) where that prompt will be, at the end.
 */
function rankOf(snapshot: Pick<PanelSnapshot, 'prompts'>, promptId: string): number {
  return indexOf(snapshot.prompts).get(promptId) ?? snapshot.prompts.length;
}

/** Holds a prompt's tree, a new one in its place in the trees' order. */
function keepTree(snapshot: PanelSnapshot, promptId: string, tree: SearchTree): void {
  const order = treeOrderOf(snapshot);
  if (!heldTree(snapshot.trees, promptId)) order.add(promptId, rankOf(snapshot, promptId));
  holdTree(snapshot.trees, promptId, tree);
}

/**
 * The prompt ids that have a tree, oldest first: in the order of the run's prompts, which start
 * (and grow their trees) in that order. Not the keys' order: an object lists integer-like keys
 * ("17", common as dataset ids) first and in numeric order, whenever they were added.
 */
export function treeIdsOldestFirst(snapshot: Pick<PanelSnapshot, 'prompts' | 'trees'>): string[] {
  return treeOrderOf(snapshot).list();
}

/**
 * The best answer, as core's bestAnswer names it in the trace and the prompt-done event (by the
 * one rule, see best-answer): the response with the highest raw reward (first one on ties) that
 * is not blank, else, when every response is blank, the best of those. `answersOnly` never falls back to a blank one: it is what
 * "Accept best" takes, and a blank answer is never training data (see answerCandidates).
 */
export function bestResponse(tree: SearchTree, opts: { answersOnly?: boolean } = {}): TreeNode | undefined {
  return bestOf(tree.nodes.filter((node) => node?.kind === 'response' && node.reward !== undefined && (!opts.answersOnly || holdsAnswer(node.text))));
}

/** Node ids from the root down to `nodeId`. */
export function pathTo(tree: SearchTree, nodeId: number): number[] {
  const path: number[] = [];
  let node = tree.nodes[nodeId];
  // Bounded by the node count, so a malformed parent cycle cannot hang the UI.
  for (let guard = tree.nodes.length; node && guard >= 0; guard--) {
    path.push(node.id);
    node = node.parent === null ? undefined : tree.nodes[node.parent];
  }
  return path.reverse();
}
