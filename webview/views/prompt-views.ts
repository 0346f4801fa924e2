import { html, nothing, type TemplateResult } from 'lit';
import { bestResponse, searchPending } from '../../src/shared/panel-state';
import type { SearchTree } from '../../src/shared/tree';
import { promptSeries } from '../chart-data';
import { fmtReward } from '../format';
import { agentClass } from '../palette';
import type { TreeViewData } from '../tree-view';
import type { ViewContext } from './context';
import { acceptClosedReason, acceptTitle, detailPane, EDIT_OPEN, editorOpen, rejectClosedReason } from './detail-views';
import { chartLegend, statusLabel } from './run-views';
import { heldTree } from '../../src/shared/held-trees';
import { count } from '../../src/shared/plural';

/** The Prompt tab: the prompt bar, the live tree with its reward chart, and the detail pane. */

/** Why a prompt this run skipped (resume) takes no decision here: its answers are in the trace, which Show tree opens. */
const SKIPPED_DECIDE = 'Already done: its search is in the trace output. Open it with the Show tree lens on its line to decide';

export function promptTab(ctx: ViewContext): TemplateResult {
  const prompt = ctx.store.selectedPrompt;
  if (!prompt) return html`<div class="empty-state"><h2>No prompt selected</h2><p>Prompts appear here once a run starts.</p></div>`;
  const tree = heldTree(ctx.snapshot.trees, prompt.id);
  const prompts = ctx.snapshot.prompts;
  const index = prompts.indexOf(prompt);
  const best = tree ? bestResponse(tree, { answersOnly: true }) : undefined;
  const pending = ctx.store.pending.get(prompt.id);
  const searching = searchPending(prompt.status);
  // No answer (cut short or failed before one, not searched): neither button applies. Reject
  // writes no row and a resumed run searches such a prompt again, so it would only mislabel it.
  const loading = !tree && ctx.store.treeLoading;
  const blocked = searching ? 'Decide once the search is done' : loading ? 'Loading its tree…' : best ? undefined : prompt.status === 'skipped' ? SKIPPED_DECIDE : 'No answer to accept or reject';
  const acceptClosed = blocked ?? acceptClosedReason(prompt.status) ?? (editorOpen(ctx, prompt.id) ? EDIT_OPEN : undefined);
  const rejectClosed = blocked ?? rejectClosedReason(prompt.status);
  return html`<div class="prompt-tab">
    <div class="prompt-bar">
      <button class="icon-button previous-prompt" title="Previous prompt" aria-label="Previous prompt" ?disabled=${index <= 0} @click=${() => ctx.actions.stepPrompt(-1)}><span class="codicon codicon-chevron-left" aria-hidden="true"></span></button>
      <button class="icon-button next-prompt" title="Next prompt" aria-label="Next prompt" ?disabled=${index >= prompts.length - 1} @click=${() => ctx.actions.stepPrompt(1)}><span class="codicon codicon-chevron-right" aria-hidden="true"></span></button>
      <span class="muted prompt-index">${index + 1} / ${prompts.length}</span>
      ${statusLabel(prompt, pending)}
      <span class="prompt-text" title=${prompt.preview}>${prompt.preview || prompt.id}</span>
      <span class="spacer"></span>
      <button class=${`toggle follow${ctx.ui.follow ? ' on' : ''}`} aria-pressed=${ctx.ui.follow} title="Show the prompt being searched"
        @click=${() => (ctx.ui.follow ? ctx.actions.openPrompt(prompt.id) : ctx.actions.follow())}><span class="codicon codicon-pulse" aria-hidden="true"></span> Follow live</button>
      <vscode-button class="accept-best" icon="check" ?disabled=${!best || !!pending || acceptClosed !== undefined} title=${acceptTitle(prompt.status, acceptClosed) ?? nothing} @click=${() => ctx.actions.acceptBest()}>Accept best${best ? ` (${fmtReward(best.reward)})` : ''}</vscode-button>
      <vscode-button class="reject-prompt" secondary icon="circle-slash" ?disabled=${!best || !!pending || rejectClosed !== undefined || prompt.status === 'skipped'} title=${rejectClosed ?? nothing} @click=${() => ctx.actions.reject()}>Reject</vscode-button>
    </div>
    ${prompt.reason ? html`<div class=${`prompt-reason${prompt.status === 'failed' || prompt.reasonLevel === 'error' ? ' error-text' : ' muted'}`}>${prompt.reason}</div>` : nothing}
    ${tree ? promptBody(ctx, tree) : loading ? treeLoading() : html`<div class="empty-state"><p>${prompt.status === 'waiting' ? 'Waiting for its turn in the queue.' : prompt.status === 'skipped' ? 'Open its search with the Show tree lens on its line.' : 'No tree kept for this prompt.'}</p></div>`}
  </div>`;
}

/** The host left this tree out of the snapshot (a reveal sends only those on screen): it is on its way. */
function treeLoading(): TemplateResult {
  return html`<div class="empty-state tree-loading" role="status"><p><span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span> Loading its tree…</p></div>`;
}

function promptBody(ctx: ViewContext, tree: SearchTree): TemplateResult {
  const selected = ctx.store.selectedNodeId;
  const best = bestResponse(tree)?.id ?? null;
  const view: TreeViewData = { tree, selected, best, showUntried: ctx.ui.showUntried, zoom: ctx.ui.zoom };
  const responses = tree.nodes.reduce((n, node) => n + (node?.kind === 'response' ? 1 : 0), 0);
  // Pieces kept whole: a narrow panel breaks the line between them, never inside one, nor cuts it short.
  const counts = [count(responses, 'response'), count(tree.nodes.length, 'node'), `${tree.plays}/${tree.budget} plays`];
  const fit = (): void => {
    const el = document.querySelector('toa-tree');
    if (el) ctx.actions.setZoom(el.fitZoom());
  };
  return html`<div class="prompt-body">
    <section class="card tree-card">
      <div class="tree-toolbar">
        <h2 class="card-title">Search tree</h2>
        <span class="muted tree-counts">${counts.map((piece, i) => html`${i ? ' · ' : ''}<span class="count-piece">${piece}</span>`)}</span>
        <div class="tree-tools">
          <vscode-checkbox class="untried" ?checked=${ctx.ui.showUntried} @change=${(e: Event) => ctx.actions.setUntried((e.target as HTMLInputElement).checked)}>Untried agents</vscode-checkbox>
          <span class="toolbar-sep"></span>
          <button class="icon-button" title="Zoom out" aria-label="Zoom out" @click=${() => ctx.actions.zoomStep(-1)}><span class="codicon codicon-zoom-out" aria-hidden="true"></span></button>
          <button class="zoom-level" title="Reset zoom" aria-label=${`${Math.round(ctx.ui.zoom * 100)}%, reset zoom`} @click=${() => ctx.actions.setZoom(1)}>${Math.round(ctx.ui.zoom * 100)}%</button>
          <button class="icon-button" title="Zoom in" aria-label="Zoom in" @click=${() => ctx.actions.zoomStep(1)}><span class="codicon codicon-zoom-in" aria-hidden="true"></span></button>
          <button class="icon-button" title="Fit width" aria-label="Fit width" @click=${fit}><span class="codicon codicon-screen-normal" aria-hidden="true"></span></button>
        </div>
      </div>
      ${treeLegend(tree)}
      <toa-tree class="tree" .view=${view}
        @node-select=${(e: CustomEvent<{ nodeId: number }>) => ctx.actions.selectNode(e.detail.nodeId)}
        @zoom-step=${(e: CustomEvent<{ direction: 1 | -1 }>) => ctx.actions.zoomStep(e.detail.direction)}></toa-tree>
      <div class="chart-strip">
        <toa-chart class="prompt-chart" .series=${promptSeries(tree)} .agents=${tree.agents} .budget=${tree.budget} .selected=${selected} .version=${ctx.store.version}
          label="Prompt reward against plays" @point-select=${(e: CustomEvent<{ nodeId: number }>) => ctx.actions.selectNode(e.detail.nodeId)}></toa-chart>
        ${chartLegend(true)}
      </div>
    </section>
    <aside class="card detail-card">${detailPane(ctx, tree)}</aside>
  </div>`;
}

function treeLegend(tree: SearchTree): TemplateResult {
  const edge = (cls: string, label: string): TemplateResult =>
    html`<span><svg width="22" height="8" aria-hidden="true"><path class=${`edge ${cls}`} d="M1 4H21"></path></svg>${label}</span>`;
  return html`<div class="legend tree-legend">
    ${tree.agents.map((name, i) => html`<span><span class=${`swatch ${agentClass(i)}`} aria-hidden="true"></span>${name}</span>`)}
    <span class="legend-sep"></span>
    ${edge('scratch', 'from scratch')}${edge('refine', 'refine')}${tree.strategy === 'moa' ? edge('aggregate', 'aggregate') : nothing}${edge('best', 'best path')}
  </div>`;
}
