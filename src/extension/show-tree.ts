import * as vscode from 'vscode';
import { bestAnswer, errorText, isTraceOf, promptText, type TraceRow } from '../core';
import { findPrompt } from '../shared/panel-state';
import type { PanelSnapshot } from '../shared/protocol';
import type { ConfigSource } from './config-source';
import { acceptedReason, type CurationService } from './curation-service';
import type { PanelController } from './panel/panel-controller';
import { readLastTraceRow } from './output-lines';
import { REJECTED_REASON, type RejectedSearches, type SearchRef } from './rejected-searches';
import type { TraceHead } from './trace-ids';
import { showError, showWarning } from './notify';
import { heldTree } from '../shared/held-trees';

export interface ShowTreeDeps {
  /** The panel, opened (or revealed) for the tree. */
  showPanel(): PanelController;
  configs: ConfigSource;
  curation: CurationService;
  rejected: RejectedSearches;
  log: vscode.LogOutputChannel;
}

/**
 * Shows a prompt's search tree in the panel. From a CodeLens, `conversation` is the key of the
 * row's messages: the tree is then the newest trace row of that very prompt, since ids like
 * `line-3` repeat across files. Otherwise: this session's tree with that id, else the newest
 * trace row with it. A tree read from the trace is curated against its own row, and shows the
 * decision it had (see decision): the trace says only that its search is done.
 */
export async function showTree(deps: ShowTreeDeps, promptId: string, uri?: vscode.Uri, conversation?: number): Promise<boolean> {
  const panel = deps.showPanel();
  if (conversation === undefined && heldTree(panel.snapshot.trees, promptId)) {
    panel.post({ type: 'select-prompt', promptId });
    return true;
  }
  const folder = deps.configs.folderFor(uri);
  const sections = folder && (await deps.configs.sections(folder));
  const matches = conversation === undefined ? (h: TraceHead) => h.id === promptId : (h: TraceHead) => isTraceOf(h, { id: promptId, key: conversation });
  let row: TraceRow | undefined;
  try {
    row = sections && (await readLastTraceRow(sections.outputs.trace, sections.outputFields.trace, matches));
  } catch (error) {
    // Said as it is (the file, its line and what named it), not as "no tree yet": a line that is
    // not UTF-8 text stops the read, as it stops resume, and would hide every prompt's tree.
    const reason = `cannot show the search tree of prompt ${promptId}: ${errorText(error)}`;
    deps.log.error(reason);
    void showError(`TOA Studio: ${reason}`);
    return false;
  }
  const best = row && bestAnswer(row.tree);
  if (!sections || !row || !best) {
    void showWarning(`TOA Studio: no search tree for prompt ${promptId} yet.`);
    return false;
  }
  const key = panelKey(panel.snapshot, row, uri);
  const search = row.runId === undefined ? undefined : { runId: row.runId, promptId: row.promptId };
  // Decisions on it name the run shown (none without one: the panel then offers none).
  const shownRun = panel.snapshot.runId;
  if (shownRun !== null) deps.curation.remember(shownRun, { id: key, messages: row.messages, ...(row.reference === undefined ? {} : { reference: row.reference }) }, { output: sections.output, outputs: sections.outputs, outputFields: sections.outputFields }, search);
  panel.pushEvent({ type: 'prompt-shown', promptId: key, preview: promptText(row).slice(0, 120), tree: { ...row.tree, promptId: key }, best, search: { promptId: row.promptId, ...(row.runId === undefined ? {} : { runId: row.runId }) } });
  const decided = await decision(deps, row, search, sections.outputs.sft, sections.outputFields.sft, promptId);
  // As the panel showed it right after the decision (its run is the one shown, whatever run searched it).
  if (decided) panel.postDecision({ type: 'prompt-status', promptId: key, ...decided, ...(panel.snapshot.runId === null ? {} : { runId: panel.snapshot.runId }) });
  panel.post({ type: 'select-prompt', promptId: key });
  return true;
}

/**
 * The decision a trace row's prompt had, which the trace does not say: rejected when the user
 * rejected this search, else accepted when the SFT output answers the prompt (as Accept checks
 * it: an earlier run, auto-accept or the user wrote the row). Undefined: undecided, done.
 */
async function decision(deps: ShowTreeDeps, row: TraceRow, search: SearchRef | undefined, sft: vscode.Uri, field: string, promptId: string): Promise<{ status: 'rejected' | 'accepted'; reason: string } | undefined> {
  if (search && deps.rejected.has(search)) return { status: 'rejected', reason: REJECTED_REASON };
  // The tree is shown all the same, undecided; the read error says why its decision is unknown.
  const accepted = await deps.curation.hasSftRow(sft, field, row.messages).catch((error: unknown) => {
    const reason = `prompt ${promptId} is shown undecided, since its SFT output cannot be read: ${errorText(error)}`;
    deps.log.warn(reason);
    void showWarning(`TOA Studio: ${reason}`);
    return false;
  });
  return accepted ? { status: 'accepted', reason: acceptedReason(sft) } : undefined;
}

/**
 * The id the panel shows a trace row's tree under: its prompt id when it is the panel's own
 * search of it, or when the panel holds no prompt with that id and no run is going; the id it
 * had when this search was shown before. Otherwise the id says which file the tree is from: a `line-3` of another file must not replace the
 * panel's, and a running run may yet queue a prompt with this very id.
 */
function panelKey(snapshot: PanelSnapshot, row: TraceRow, uri: vscode.Uri | undefined): string {
  const id = row.promptId;
  const ownSearch = row.runId !== undefined && row.runId === snapshot.runId;
  if (ownSearch || (!snapshot.running && !findPrompt(snapshot, id))) return id;
  // Shown before: the same entry, so a decision made on it is the one the list shows (a second
  // entry of the same search kept the decision from before, "rejected" beside "accepted").
  const shownBefore = row.runId === undefined ? undefined : snapshot.prompts.find((p) => p.shown?.runId === row.runId && p.shown?.promptId === id);
  if (shownBefore) return shownBefore.id;
  return `${id} (${uri ? vscode.workspace.asRelativePath(uri) : 'trace'})`;
}

