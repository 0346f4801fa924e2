import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ref } from 'lit/directives/ref.js';
import { bestResponse, findPrompt, searchPending } from '../../src/shared/panel-state';
import type { PromptStatus } from '../../src/shared/protocol';
import type { SearchTree, TreeNode } from '../../src/shared/tree';
import { fmtCost, fmtInt, fmtMs, fmtReward } from '../format';
import { agentClass } from '../palette';
import { diffCounts, diffText } from '../text-diff';
import { onActivateKey, onTabSpace, type ViewContext } from './context';
import { gridRowIndex, listGrid } from './list-grid';
import { count } from '../../src/shared/plural';

/**
 * The right-hand pane of the Prompt tab: the selected node in full (text, numbers, diff against
 * the answer it refined) with its curation actions, or the ranked list of candidates.
 * Model text is rendered only through lit text bindings: markup in a response stays literal.
 */

function mean(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** The response this one started from: its recorded source, else the refine agent's parent. */
function refinedFrom(tree: SearchTree, node: TreeNode): TreeNode | undefined {
  const sourceId = node.sources?.[0];
  if (sourceId !== undefined) return tree.nodes[sourceId];
  const agent = node.parent === null ? undefined : tree.nodes[node.parent];
  if (agent?.mode !== 'refine' || agent.parent === null) return undefined;
  const parent = tree.nodes[agent.parent];
  return parent?.kind === 'response' ? parent : undefined;
}

function modeText(tree: SearchTree, node: TreeNode): string {
  const agent = node.parent === null ? undefined : tree.nodes[node.parent];
  if (agent?.mode === 'aggregate') return `aggregates ${(node.sources ?? []).map((id) => `#${id}`).join(', ') || 'earlier answers'}`;
  const source = refinedFrom(tree, node);
  return source ? `refines #${source.id}` : 'from scratch';
}

function agentName(tree: SearchTree, index: number | undefined): string {
  return index === undefined ? '' : (tree.agents[index] ?? `agent ${index}`);
}

export function detailPane(ctx: ViewContext, tree: SearchTree): TemplateResult {
  const responses = tree.nodes.filter((n) => n?.kind === 'response').length;
  return html`<vscode-tabs class="detail-tabs" selected-index=${ctx.ui.detailTab === 'detail' ? 0 : 1}
      @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => ctx.store.setUi({ detailTab: e.detail.selectedIndex === 0 ? 'detail' : 'candidates' })}
      @keydown=${onTabSpace((i) => ctx.store.setUi({ detailTab: i === 0 ? 'detail' : 'candidates' }))}>
    <vscode-tab-header slot="header" class="node-tab">Node</vscode-tab-header>
    <vscode-tab-panel>${ctx.ui.detailTab === 'detail' ? nodeDetail(ctx, tree) : nothing}</vscode-tab-panel>
    <vscode-tab-header slot="header">Candidates <vscode-badge variant="counter">${responses}</vscode-badge></vscode-tab-header>
    <vscode-tab-panel>${ctx.ui.detailTab === 'candidates' ? candidates(ctx, tree) : nothing}</vscode-tab-panel>
  </vscode-tabs>
  ${preferenceBar(ctx, tree)}`;
}

function nodeDetail(ctx: ViewContext, tree: SearchTree): TemplateResult {
  const id = ctx.store.selectedNodeId;
  const node = id === null ? undefined : tree.nodes[id];
  if (!node) return html`<div class="detail-empty muted">Click a node in the tree to see it here.</div>`;
  if (node.kind === 'response') return responseDetail(ctx, tree, node);
  const visits = html`<div><dt>Visits</dt><dd>${node.visits}</dd></div><div><dt>Mean value</dt><dd>${fmtReward(mean(node.values))}</dd></div>`;
  if (node.kind === 'root') {
    const best = bestResponse(tree);
    return html`<div class="detail">
      <div class="detail-head"><span class="codicon codicon-comment" aria-hidden="true"></span><strong>Prompt</strong></div>
      <p class="prompt-preview">${ctx.store.selectedPrompt?.preview ?? ''}</p>
      <dl class="facts">${visits}<div><dt>Plays</dt><dd>${tree.plays} / ${tree.budget}</dd></div><div><dt>Best reward</dt><dd>${fmtReward(best?.reward)}</dd></div></dl>
    </div>`;
  }
  const mode = node.mode === 'refine' ? 'refine its parent answer' : node.mode === 'aggregate' ? 'aggregate earlier answers' : 'answer from scratch';
  return html`<div class="detail">
    <div class="detail-head"><span class=${`swatch ${agentClass(node.agent)}`} aria-hidden="true"></span><strong>${agentName(tree, node.agent)}</strong><span class="muted">agent node #${node.id}</span></div>
    <p class="muted">Asks ${agentName(tree, node.agent)} to ${mode}. ${node.children.length === 0 ? 'Not tried yet.' : `${count(node.children.length, 'response')} so far.`}</p>
    <dl class="facts">${visits}<div><dt>Layer</dt><dd>${node.layer}</dd></div></dl>
  </div>`;
}

/**
 * Why Accept (and Edit…, Accept edited) is closed for a prompt's status: an accepted prompt has
 * its SFT row, and the host refuses a second (the file is the record). A rejected one stays open:
 * accepting it changes the decision (the host drops the rejection).
 */
export function acceptClosedReason(status: PromptStatus | undefined): string | undefined {
  return status === 'accepted' ? 'Already accepted: the prompt has its SFT row. Edit the SFT file to change it' : undefined;
}

/** Why Reject is closed: the prompt is decided (an accepted one's row would stay in the SFT file). */
export function rejectClosedReason(status: PromptStatus | undefined): string | undefined {
  if (status === 'rejected') return 'Already rejected: nothing is written for this search. Accept writes its SFT row instead';
  return acceptClosedReason(status);
}

/**
 * Why Accept of the model's own text (Accept best, the answer's Accept) is closed while the
 * user's edit of the answer shown is open: it would write the unedited text, and the prompt's one
 * SFT row taken, the edit could then only be discarded.
 */
export const EDIT_OPEN = 'Your edit of this answer is open: Accept edited, or Discard it first';

/** Whether the detail pane shows the editor of prompt `promptId`'s answer: the node shown is the one edited. */
export function editorOpen(ctx: ViewContext, promptId: string): boolean {
  const draft = ctx.ui.draft;
  return draft !== null && draft.promptId === promptId && draft.nodeId === ctx.store.selectedNodeId;
}

/** What Accept says of a rejected prompt: it is open, and changes the decision. */
const ACCEPT_INSTEAD = 'Rejected: accepting writes its SFT row and drops the rejection';

/** Accept's title: why it is closed, else what it does to a rejected prompt. */
export function acceptTitle(status: PromptStatus | undefined, closed: string | undefined): string | undefined {
  return closed ?? (status === 'rejected' ? ACCEPT_INSTEAD : undefined);
}

function responseDetail(ctx: ViewContext, tree: SearchTree, node: TreeNode): TemplateResult {
  const best = bestResponse(tree);
  const source = refinedFrom(tree, node);
  const draft = ctx.ui.draft;
  const editing = draft !== null && editorOpen(ctx, tree.promptId);
  const pending = ctx.store.pending.get(tree.promptId);
  const status = findPrompt(ctx.snapshot, tree.promptId)?.status;
  const searching = searchPending(status);
  const decided = acceptClosedReason(status);
  const closed = !!pending || editing || searching || decided !== undefined;
  const wait = (searching ? 'Decide once the search is done' : editing && !decided ? EDIT_OPEN : acceptTitle(status, decided)) ?? nothing;
  return html`<div class="detail" data-node=${node.id}>
    <div class="detail-head">
      <span class=${`swatch ${agentClass(node.agent)}`} aria-hidden="true"></span><strong>${agentName(tree, node.agent)}</strong>
      <span class="muted">#${node.id} · ${modeText(tree, node)}</span>
      ${node.id === best?.id ? html`<vscode-badge class="best-badge">best</vscode-badge>` : nothing}
    </div>
    ${responseFacts(node)}
    ${responseActions(ctx, node, closed, wait)}
    ${editing ? editor(ctx, node.id, draft.text, status) : responseBody(ctx, node, source)}
  </div>`;
}

/** What the response cost and where it sits in the search. */
function responseFacts(node: TreeNode): TemplateResult {
  const call = node.call;
  return html`<dl class="facts">
    <div><dt>Reward</dt><dd class="reward-value">${fmtReward(node.reward)}</dd></div>
    <div><dt>Value</dt><dd>${fmtReward(node.own)}</dd></div>
    <div><dt>Visits</dt><dd>${node.visits}</dd></div>
    <div><dt>Layer</dt><dd>${node.layer}</dd></div>
    <div><dt>Play</dt><dd>${node.play ?? '–'}</dd></div>
    ${call ? html`<div><dt>Tokens</dt><dd title=${`${fmtInt(call.promptTokens)} prompt + ${fmtInt(call.completionTokens)} completion`}>${fmtInt(call.promptTokens + call.completionTokens)}</dd></div>
      <div><dt>Latency</dt><dd>${fmtMs(call.latencyMs)}</dd></div><div><dt>Cost</dt><dd>${fmtCost(call.costUsd)}</dd></div>` : nothing}
  </dl>`;
}

/** Accept and Edit… (closed, and why, as `wait` says) and the preference-pair marks. */
function responseActions(ctx: ViewContext, node: TreeNode, closed: boolean, wait: string | typeof nothing): TemplateResult {
  const { chosen, rejected } = ctx.ui;
  return html`<div class="detail-actions">
    <vscode-button icon="check" class="accept-node" ?disabled=${closed} title=${wait} @click=${() => ctx.actions.accept(node.id)}>Accept</vscode-button>
    <vscode-button secondary icon="edit" class="edit-node" ?disabled=${closed} title=${wait} @click=${() => ctx.actions.startEdit(node.id)}>Edit…</vscode-button>
    <vscode-button secondary icon="thumbsup" class=${`mark-chosen${chosen === node.id ? ' on' : ''}`} aria-pressed=${chosen === node.id} title="Use as the chosen answer of a preference pair"
      @click=${() => ctx.actions.markChosen(chosen === node.id ? null : node.id)}>As chosen</vscode-button>
    <vscode-button secondary icon="thumbsdown" class=${`mark-rejected${rejected === node.id ? ' on' : ''}`} aria-pressed=${rejected === node.id} title="Use as the rejected answer of a preference pair"
      @click=${() => ctx.actions.markRejected(rejected === node.id ? null : node.id)}>As rejected</vscode-button>
  </div>`;
}

function responseBody(ctx: ViewContext, node: TreeNode, source: TreeNode | undefined): TemplateResult {
  const showDiff = ctx.ui.showDiff && source?.text !== undefined;
  const parts = showDiff ? diffText(source!.text!, node.text ?? '', ctx.ui.diffMode) : [];
  const counts = diffCounts(parts);
  const toggle = (label: string, on: boolean, click: () => void, disabled = false): TemplateResult =>
    html`<button class=${`toggle${on ? ' on' : ''}`} aria-pressed=${on} ?disabled=${disabled} @click=${click}>${label}</button>`;
  return html`<div class="text-toolbar">
      ${toggle('Text', !showDiff, () => ctx.store.setUi({ showDiff: false }))}
      ${toggle(source ? `Diff vs #${source.id}` : 'Diff', showDiff, () => ctx.store.setUi({ showDiff: true }), !source)}
      ${showDiff ? html`<span class="toolbar-sep"></span>
        ${toggle('Words', ctx.ui.diffMode === 'words', () => ctx.store.setUi({ diffMode: 'words' }))}
        ${toggle('Lines', ctx.ui.diffMode === 'lines', () => ctx.store.setUi({ diffMode: 'lines' }))}
        <span class="diff-counts"><span class="added-text">+${counts.added}</span> <span class="removed-text">−${counts.removed}</span></span>` : nothing}
    </div>
    ${showDiff
      ? html`<pre class="response-text diff">${parts.map((p) => (p.kind === 'same' ? p.text : p.kind === 'added' ? html`<ins>${p.text}</ins>` : html`<del>${p.text}</del>`))}</pre>`
      : html`<pre class="response-text">${node.text ?? ''}</pre>`}`;
}

/**
 * The editor takes the focus as it opens: the Edit button that opened it goes disabled, which
 * left a keyboard user's focus on nothing and their typing nowhere. A stable callback, so lit
 * calls it once per editor, not on every render; the field is focusable once it has rendered.
 */
function focusWhenOpened(element: Element | undefined): void {
  const field = element as (HTMLElement & { updateComplete?: Promise<unknown> }) | undefined;
  void field?.updateComplete?.then(() => field.focus());
}

/** `status`: the prompt's; accepted while the edit was open (by auto-accept, or another window), the edit can no longer be accepted, only discarded. */
function editor(ctx: ViewContext, nodeId: number, text: string, status: PromptStatus | undefined): TemplateResult {
  const decided = acceptClosedReason(status);
  // live(): the field is only written when it differs, so re-renders while typing keep the caret.
  // resize="none": vscode-textarea draws its resize grip from a data: PNG, which the panel's CSP
  // (img-src: the webview's origin only) blocks, logging a violation each time the editor opens.
  return html`<div class="editor">
    <vscode-textarea class="edit-text" rows="14" resize="none" monospace .value=${live(text)} .label=${'Edited answer'} ${ref(focusWhenOpened)}
      @input=${(e: Event) => ctx.actions.updateDraft((e.target as unknown as { value: string }).value)}></vscode-textarea>
    <div class="detail-actions">
      <vscode-button icon="check" class="accept-edited" ?disabled=${decided !== undefined} title=${acceptTitle(status, decided) ?? nothing} @click=${() => ctx.actions.accept(nodeId, ctx.store.ui.draft?.text ?? text)}>Accept edited</vscode-button>
      <vscode-button secondary class="discard-edit" @click=${() => ctx.actions.cancelEdit()}>Discard</vscode-button>
    </div>
  </div>`;
}

const CANDIDATE_ROW_HEIGHT = 26;
/** '#' read out as "Rank". */
const CANDIDATE_COLUMNS = [[html`<span aria-hidden="true">#</span><span class="visually-hidden">Rank</span>`, 'num'], ['Reward', 'num'], ['Agent', ''], ['Answer', '']] as const;

function candidates(ctx: ViewContext, tree: SearchTree): TemplateResult {
  const ranked = tree.nodes.filter((n) => n?.kind === 'response').sort((a, b) => (b.reward ?? -Infinity) - (a.reward ?? -Infinity) || a.id - b.id);
  const selected = ctx.store.selectedNodeId;
  const row = (i: number, tabbable: boolean): TemplateResult => {
    const n = ranked[i]!;
    const pick = (): void => ctx.actions.openCandidate(n.id);
    const pair = ctx.ui.chosen === n.id ? 'chosen' : ctx.ui.rejected === n.id ? 'rejected' : '';
    return html`<div class=${`vrow candidate-row${n.id === selected ? ' selected' : ''}`} role="row" aria-rowindex=${gridRowIndex(i)} tabindex=${tabbable ? 0 : -1} data-node=${n.id}
        aria-selected=${n.id === selected} @click=${pick} @keydown=${onActivateKey(pick)}>
      <span class="cell num muted" role="gridcell">${i + 1}</span>
      <span class="cell num" role="gridcell">${fmtReward(n.reward)}</span>
      <span class="cell" role="gridcell"><span class=${`swatch ${agentClass(n.agent)}`} aria-hidden="true"></span>${agentName(tree, n.agent)}</span>
      <span class="cell preview-cell" role="gridcell">${pair ? html`<span class=${`pair-tag ${pair}`}>${pair}</span>` : nothing}${(n.text ?? '').slice(0, 200)}</span>
    </div>`;
  };
  return listGrid('Candidates', 'candidate-row', CANDIDATE_COLUMNS, ranked.length,
    html`<toa-virtual-list class="candidate-list" .count=${ranked.length} .rowHeight=${CANDIDATE_ROW_HEIGHT} .renderRow=${row} .keyOf=${(i: number) => String(ranked[i]!.id)} .version=${ctx.store.version}></toa-virtual-list>`);
}

function preferenceBar(ctx: ViewContext, tree: SearchTree): TemplateResult {
  const { chosen, rejected } = ctx.ui;
  const side = (label: string, id: number | null, clear: () => void): TemplateResult => {
    const node = id === null ? undefined : tree.nodes[id];
    return node
      ? html`<span class="pair-side"><span class="muted">${label}</span> <a href="#" aria-label=${`Show the ${label.toLowerCase()} answer, #${node.id}`} @click=${(e: Event) => { e.preventDefault(); ctx.actions.selectNode(node.id); }}>#${node.id}</a> <span class="muted">(${fmtReward(node.reward)})</span>
          <button class="icon-button" title=${`Clear ${label.toLowerCase()}`} aria-label=${`Clear ${label.toLowerCase()}`} @click=${clear}><span class="codicon codicon-close" aria-hidden="true"></span></button></span>`
      : html`<span class="pair-side muted">${label}: none</span>`;
  };
  const ready = chosen !== null && rejected !== null && chosen !== rejected;
  return html`<div class="preference-bar">
    <span class="codicon codicon-git-compare" aria-hidden="true"></span>
    ${side('Chosen', chosen, () => ctx.actions.clearPairSide('chosen'))}
    ${side('Rejected', rejected, () => ctx.actions.clearPairSide('rejected'))}
    <vscode-button class="save-pair" secondary ?disabled=${!ready || ctx.store.pending.has(tree.promptId) || searchPending(findPrompt(ctx.snapshot, tree.promptId)?.status)} @click=${() => ctx.actions.savePreference()}>Save pair</vscode-button>
  </div>`;
}
