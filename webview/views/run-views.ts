import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { answeredAny, winsText, type AgentStats, type RewardStats } from '../../src/shared/stats';
import { countPrompts, savingText } from '../../src/shared/prompt-counts';
import type { LeftOutPrompts, PromptEntry, PromptStatus, RunOutcome, RunPreparing } from '../../src/shared/protocol';
import { count, plural } from '../../src/shared/plural';
import { runSeries } from '../chart-data';
import { fmtCompact, fmtCost, fmtInt, fmtMs, fmtPercent, fmtReward, OUTCOME_LABEL } from '../format';
import { agentClass } from '../palette';
import { watchSideScroll } from '../side-scroll';
import { onActivateKey, type ViewContext } from './context';
import { gridRowIndex, listGrid } from './list-grid';

/** The run header and the Run tab: agents, prompt queue, run chart, curation settings. */

const STATUS_ICON: Record<PromptStatus, string> = {
  waiting: 'circle-large-outline',
  searching: 'loading',
  done: 'pass',
  accepted: 'pass-filled',
  rejected: 'circle-slash',
  failed: 'error',
  cancelled: 'debug-stop',
  skipped: 'debug-step-over',
};

const OUTCOME_ICON: Record<RunOutcome, string> = { finished: 'codicon-pass', cancelled: 'codicon-debug-stop', stopped: 'codicon-error', interrupted: 'codicon-debug-disconnect' };

function statusIcon(status: PromptStatus): TemplateResult {
  const spin = status === 'searching' ? ' codicon-modifier-spin' : '';
  return html`<span class=${`codicon codicon-${STATUS_ICON[status]}${spin} status-icon status-${status}`} aria-hidden="true"></span>`;
}

export function statusLabel(entry: PromptEntry, pending: string | undefined): TemplateResult {
  return html`<span class=${`status status-${entry.status}`}>${statusIcon(entry.status)}<span class="status-text">${pending ?? entry.status}</span></span>`;
}

/** The page's one top-level heading, for screen readers' heading list (the editor tab shows the title). */
const PANEL_HEADING = html`<h1 class="visually-hidden">TOA Studio</h1>`;

/** The banner: the run's state and totals. What it says changes are announced from app.ts's live region. */
export function runHeader(ctx: ViewContext): TemplateResult {
  const s = ctx.snapshot;
  if (s.preparing) return preparingHeader(ctx, s.preparing);
  const t = s.totals;
  // As the status bar counts them: of the prompts this run searches, the skipped ones apart.
  const { finished, total, skipped } = countPrompts(s.prompts, s.inputPrompts, s.promptsLeftOut);
  const plays = t?.plays ?? s.prompts.reduce((n, p) => n + p.plays, s.promptsLeftOut?.plays ?? 0);
  const budget = s.budget * Math.max(1, total);
  const state = s.runId === null ? 'No run yet' : s.cancelling ? 'Cancelling' : s.running ? 'Running' : OUTCOME_LABEL[s.outcome ?? 'finished'];
  const stateIcon = s.running ? 'codicon-loading codicon-modifier-spin' : s.runId === null ? 'codicon-circle-large-outline' : OUTCOME_ICON[s.outcome ?? 'finished'];
  return html`<header class="run-header">
    ${PANEL_HEADING}
    ${s.running ? progressBar(plays, Math.max(1, budget)) : nothing}
    <div class="run-title">
      <span class=${`codicon ${stateIcon}`} aria-hidden="true"></span>
      <span class="run-state">${state}</span>
      ${s.runId === null ? nothing : html`<vscode-badge class="strategy">${s.strategy}</vscode-badge><span class="muted">${count(s.agents.length, 'agent')} · budget ${s.budget}</span>`}
      ${s.runId !== null && s.endpoints === 'simulator' ? html`<span class="simulated-tag" title="The built-in simulator answered this run, not real models: there is no configuration file, or the Use Simulated Endpoints setting is on. Its answers are placeholders, not training data."><span class="codicon codicon-beaker" aria-hidden="true"></span> simulated endpoints</span>` : nothing}
      ${s.compareViews?.includes(s.strategy) ? html`<button class="link-button compared" @click=${() => ctx.actions.showTab('compare')}>one of ${s.compareViews.length} compared strategies</button>` : nothing}
    </div>
    ${s.runId === null ? nothing : html`<dl class="metrics">
      <div><dt>Prompts</dt><dd>${fmtInt(finished)} / ${fmtInt(total)}</dd></div>
      ${skipped ? html`<div class="already-done" title="Prompts whose search the trace output already holds: this run skipped them rather than search them again (resume)."><dt>Already done</dt><dd>${fmtInt(skipped)}</dd></div>` : nothing}
      <div><dt>Plays</dt><dd>${fmtInt(plays)}</dd></div>
      <div><dt>Tokens</dt><dd>${t ? fmtCompact(t.promptTokens + t.completionTokens) : '–'}</dd></div>
      <div><dt>Cost</dt><dd>${t ? fmtCost(t.costUsd) : '–'}</dd></div>
      <div><dt>Elapsed</dt><dd>${t ? fmtMs(t.elapsedMs) : '–'}</dd></div>
    </dl>`}
    <div class="header-actions">
      ${s.running ? cancelControl(ctx) : nothing}
    </div>
  </header>`;
}

/**
 * A run being set up (reading its configuration, the trace to resume...): what it is doing, and
 * Cancel run. The tabs below still show the run before until this one's first event.
 */
function preparingHeader(ctx: ViewContext, preparing: RunPreparing): TemplateResult {
  return html`<header class="run-header preparing">
    ${PANEL_HEADING}
    <div class="run-title">
      <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span>
      <span class="run-state">Preparing</span>
      <span class="muted preparing-step" title=${`A run of ${preparing.source}`}>${preparing.step}${preparing.progress ? ` (${preparing.progress})` : ''}…</span>
    </div>
    <div class="header-actions">${cancelControl(ctx)}</div>
  </header>`;
}

/**
 * Cancel, or once cancelled what the run still waits for (a busy disk can hold the end back
 * while finished prompts' outputs are written whole): a second Cancel would do nothing more.
 */
function cancelControl(ctx: ViewContext): TemplateResult {
  const saving = ctx.snapshot.cancelling;
  if (saving) return html`<span class="cancelling muted">${savingText(saving)}</span>`;
  return html`<vscode-button secondary icon="debug-stop" @click=${() => ctx.actions.cancelRun()}>Cancel run</vscode-button>`;
}

/**
 * The run's plays against its budget, drawn with a transform. Not vscode-progress-bar: it eases
 * its width over 100 ms, a layout of the whole panel on every frame of it, after each stats
 * event (4 a second): a third of the panel's frames during a run. `.style`, a property: the
 * panel's CSP blocks style attributes.
 */
function progressBar(value: number, max: number): TemplateResult {
  return html`<div class="run-progress" role="progressbar" aria-label="Plays" aria-valuemin="0" aria-valuemax=${max} aria-valuenow=${value}
      aria-valuetext=${`${fmtInt(value)} of ${fmtInt(max)} plays`}>
    <div class="run-progress-done" .style=${`transform:scaleX(${Math.min(1, value / max)})`}></div>
  </div>`;
}

/**
 * The run's warnings about its settings (e.g. a tau that saturates the values), for as long as the
 * run is shown. Read out once as they arrive from app.ts's news region (see PanelStore.announcement).
 */
export function runWarnings(ctx: ViewContext): TemplateResult[] {
  return (ctx.snapshot.warnings ?? []).map(
    (w) => html`<div class="notice warning run-warning" data-code=${w.code}>
      <span class="codicon codicon-warning" aria-hidden="true"></span>
      <span class="notice-text">${w.message}</span>
    </div>`,
  );
}

export function runTab(ctx: ViewContext): TemplateResult {
  const s = ctx.snapshot;
  if (s.runId === null && s.prompts.length === 0) return emptyRun();
  return html`<div class="run-tab">
    <section class="card agents-card">
      <h2 class="card-title">Agents <span class="muted scroll-hint" aria-hidden="true">more columns <span class="codicon codicon-arrow-right"></span></span></h2>
      <div class="side-scroll" role="region" aria-label="Agent statistics" ${ref(watchSideScroll)}>${agentsTable(ctx)}</div>
    </section>
    <div class="run-columns">
      <section class="card prompts-card">
        <h2 class="card-title">Prompts <vscode-badge variant="counter">${s.prompts.length + unlisted(s.promptsLeftOut)}</vscode-badge></h2>
        ${promptList(ctx)}
        ${leftOutNote(s.promptsLeftOut)}
      </section>
      <div class="run-side">
        <section class="card chart-card">
          <h2 class="card-title">Reward against plays <span class="muted">mean over prompts</span></h2>
          <toa-chart class="run-chart" .series=${runSeries(s.runCurve)} .agents=${s.agents} .budget=${s.budget} .version=${ctx.store.version} label="Run reward against plays"></toa-chart>
          ${chartLegend(false)}
        </section>
        ${curationSettings(ctx)}
      </div>
    </div>
  </div>`;
}

function emptyRun(): TemplateResult {
  return html`<div class="empty-state">
    <span class="codicon codicon-type-hierarchy-sub empty-icon" aria-hidden="true"></span>
    <h2>No run yet</h2>
    <p>Select prompts in a JSONL file and run <strong>TOA Studio: Synthesize Selection</strong>, or run
    <strong>TOA Studio: Synthesize File</strong>. The search tree, rewards and agents show up here live.</p>
    <p class="muted">The agents and reward model are those of <code>toa.config.json</code> in the workspace folder; without one,
    built-in simulated endpoints answer (offline, for trying things out).</p>
  </div>`;
}

function agentRows(ctx: ViewContext): AgentStats[] {
  const byName = new Map(ctx.snapshot.agentStats.map((a) => [a.name, a]));
  const names = ctx.snapshot.agents.length ? ctx.snapshot.agents : [...byName.keys()];
  const zero = (name: string): AgentStats => ({
    name, calls: 0, failures: 0, retries: 0, cutOff: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, medianLatencyMs: 0, meanReward: null, wins: 0, winShare: 0,
  });
  return names.map((n) => byName.get(n) ?? zero(n));
}

function agentsTable(ctx: ViewContext): TemplateResult {
  const rows = agentRows(ctx);
  return html`<table class="data-table agents-table">
    <thead><tr>
      <th scope="col">Agent</th><th scope="col" class="num">Calls</th><th scope="col" class="num">Errors</th>
      <th scope="col" class="num">Mean reward</th><th scope="col" class="share-col" title="Prompts whose best answer this agent reached: a prompt whose best reward answers of several agents reached counts a share to each">Best answers</th>
      <th scope="col" class="num">Tokens</th><th scope="col" class="num">Median latency</th><th scope="col" class="num">Cost</th>
    </tr></thead>
    <tbody>${rows.map((a, i) => html`<tr>
      <td><span class=${`swatch ${agentClass(i)}`} aria-hidden="true"></span>${a.name}</td>
      <td class="num">${fmtInt(a.calls)}</td>
      ${errorsCell(a)}
      <td class="num">${a.meanReward === null ? '–' : fmtReward(a.meanReward)}</td>
      <td class="share-col"><div class="share"><div class="share-track"><div class=${`share-bar ${agentClass(i)}`} .style=${`width:${Math.round(a.winShare * 100)}%`}></div></div><span class="num">${fmtPercent(a.winShare)}</span><span class="muted">(${winsText(a.wins)})</span></div></td>
      <td class="num" title=${`${fmtInt(a.promptTokens)} prompt + ${fmtInt(a.completionTokens)} completion`}>${fmtCompact(a.promptTokens + a.completionTokens)}</td>
      <td class="num">${answeredAny(a) ? fmtMs(a.medianLatencyMs) : '–'}</td>
      <td class="num">${fmtCost(a.costUsd)}</td>
    </tr>`)}${rewardRow(ctx.snapshot.totals?.reward)}</tbody>
  </table>`;
}

/** The reward model's calls under the agents': its errors and latency are part of every play. */
function rewardRow(r: RewardStats | undefined): TemplateResult | typeof nothing {
  if (!r) return nothing;
  return html`<tr class="reward-row">
    <td><span class="codicon codicon-law" aria-hidden="true"></span>${r.name} <span class="muted">(reward)</span></td>
    <td class="num">${fmtInt(r.calls)}</td>
    ${errorsCell(r)}
    <td class="num muted">–</td><td class="share-col muted">–</td><td class="num muted">–</td>
    <td class="num">${answeredAny(r) ? fmtMs(r.medianLatencyMs) : '–'}</td>
    <td class="num muted">–</td>
  </tr>`;
}

function errorsCell(a: Pick<AgentStats, 'failures' | 'retries'> & { cutOff?: number }): TemplateResult {
  const cut = a.cutOff ? `, ${a.cutOff} cut off at the token limit` : '';
  return html`<td class="num" title=${`${a.failures} failed, ${a.retries} retried${cut}`}>${a.failures || a.retries ? html`<span class=${a.failures ? 'error-text' : 'muted'}>${a.failures}</span><span class="muted"> / ${a.retries}↻</span>` : html`<span class="muted">0</span>`}${a.cutOff ? html`<span class="warning-text" title="Replies that stopped at the token limit: raise max_tokens (or max_completion_tokens, whichever this agent sets)"> · ${a.cutOff}✂</span>` : nothing}</td>`;
}

const PROMPT_ROW_HEIGHT = 26;
/** The status word is hidden with the rows' in a narrow panel (styles.css), and stays for screen readers. */
const PROMPT_COLUMNS = [[html`<span class="status-text">Status</span>`, 'status-cell'], ['Prompt', ''], ['Best', 'num'], ['Plays', 'num plays-cell']] as const;

/** The run's prompts a snapshot saved for a window reload does not list (it keeps the newest). */
function unlisted(leftOut: LeftOutPrompts | undefined): number {
  return leftOut ? leftOut.searched + leftOut.skipped : 0;
}

/** Says the list is not the whole run, so its length does not read as the run's prompts. */
function leftOutNote(leftOut: LeftOutPrompts | undefined): TemplateResult | typeof nothing {
  const left = unlisted(leftOut);
  if (!left) return nothing;
  return html`<p class="muted left-out-note">${fmtInt(left)} earlier ${plural(left, 'prompt')} of this run ${left === 1 ? 'is' : 'are'} not listed since the window reloaded; the <strong>Show tree</strong> lens above a prompt's row in the input file opens its search from the trace.</p>`;
}

function promptList(ctx: ViewContext): TemplateResult {
  const prompts = ctx.snapshot.prompts;
  const selected = ctx.store.selectedPrompt?.id;
  const row = (i: number, tabbable: boolean): TemplateResult => {
    const p = prompts[i]!;
    const open = (): void => ctx.actions.openPrompt(p.id);
    return html`<div class=${`vrow prompt-row${p.id === selected ? ' selected' : ''}`} role="row" aria-rowindex=${gridRowIndex(i)} tabindex=${tabbable ? 0 : -1} data-prompt=${p.id}
        aria-selected=${p.id === selected} @click=${open} @keydown=${onActivateKey(open)}>
      <span class="cell status-cell" role="gridcell" title=${ctx.store.pending.get(p.id) ?? p.status}>${statusLabel(p, ctx.store.pending.get(p.id))}</span>
      <span class="cell preview-cell" role="gridcell" title=${p.reason ? `${p.preview}\n\n${p.reason}` : p.preview}>${p.preview || p.id}${p.reason ? html`<span class=${p.status === 'failed' ? 'reason error-text' : 'reason muted'}> — ${p.reason}</span>` : nothing}</span>
      <span class="cell num" role="gridcell">${fmtReward(p.bestReward)}</span>
      <span class="cell num muted plays-cell" role="gridcell">${p.plays}</span>
    </div>`;
  };
  return listGrid('Prompts', 'prompt-row', PROMPT_COLUMNS, prompts.length,
    html`<toa-virtual-list class="prompt-list" .count=${prompts.length} .rowHeight=${PROMPT_ROW_HEIGHT} .renderRow=${row} .keyOf=${(i: number) => prompts[i]!.id} .version=${ctx.store.version}></toa-virtual-list>`);
}

export function chartLegend(perAgent: boolean): TemplateResult {
  return html`<div class="legend chart-legend">
    <span><svg width="18" height="8" aria-hidden="true"><path class="best-line" d="M0 6H9V2H18"></path></svg>best so far</span>
    <span><svg width="8" height="8" aria-hidden="true"><circle class="dot a-none" cx="4" cy="4" r="3"></circle></svg>${perAgent ? 'each play (agent colour)' : 'mean reward of play k'}</span>
  </div>`;
}

/**
 * The threshold field's label. A <label for> names the field's host element, not the input inside
 * its shadow root, which screen readers reach: that one takes the same words through `label`.
 */
const AUTO_ACCEPT_LABEL = 'Auto-accept best answers with reward at least';

function curationSettings(ctx: ViewContext): TemplateResult {
  const s = ctx.snapshot;
  const current = s.autoAcceptAbove;
  let field: { value: string; validity?: ValidityState } | undefined;
  /** `explicit`: Set or Enter, where an emptied field means Off; a field left empty does nothing. */
  const apply = (explicit: boolean): void => {
    const raw = field?.value.trim() ?? '';
    // A number field reads text that is no number (`1e`) as '' and flags it as bad input.
    if (field?.validity?.badInput) return ctx.actions.showError('The auto-accept threshold must be a number, such as 0.12; Off turns auto-accept off.');
    if (raw === '') return explicit && ctx.snapshot.autoAcceptAbove !== null ? ctx.actions.setAutoAccept(null) : undefined;
    const value = Number(raw);
    // Enter fires both the keydown below and the field's change event: post a new value once.
    if (Number.isFinite(value) && value !== ctx.snapshot.autoAcceptAbove) ctx.actions.setAutoAccept(value);
  };
  const outputs = [['SFT', s.outputs.sft], ['Preference pairs', s.outputs.preference], ['Search traces', s.outputs.trace]].filter(([, path]) => path);
  return html`<section class="card curation-card">
    <h2 class="card-title">Curation</h2>
    <div class="field-row">
      <label for="auto-accept">${AUTO_ACCEPT_LABEL}</label>
      <vscode-textfield id="auto-accept" .label=${AUTO_ACCEPT_LABEL} type="number" step="0.01" placeholder="off" .value=${current === null ? '' : String(current)}
        @change=${() => apply(false)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && apply(true)}
        ${ref((el) => (field = el as typeof field))}></vscode-textfield>
      <vscode-button secondary @click=${() => apply(true)}>Set</vscode-button>
      <vscode-button secondary ?disabled=${current === null} @click=${() => ctx.actions.autoAcceptOff()}>Off</vscode-button>
    </div>
    <p class="muted small">${current === null ? 'Every prompt waits for your decision.' : html`Prompts whose best reward is at least <strong>${fmtReward(current)}</strong> are accepted as they finish.`}${s.running ? ' A change applies from the next run.' : nothing}</p>
    ${outputs.length ? html`<dl class="outputs">${outputs.map(([name, path]) => html`<div><dt>${name}</dt><dd><code>${path}</code></dd></div>`)}</dl>` : nothing}
  </section>`;
}
