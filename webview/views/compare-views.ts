import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { bestFirst } from '../../src/shared/compare-order';
import type { CompareRow } from '../../src/shared/protocol';
import { STRATEGY_TITLES, type StrategyName } from '../../src/shared/tree';
import { fmtCompact, fmtCost, fmtInt, fmtMs, fmtReward } from '../format';
import { watchSideScroll } from '../side-scroll';
import type { ViewContext } from './context';

/** The Compare tab: strategies side by side at the same budget, best first (see bestFirst). */
export function compareTab(ctx: ViewContext): TemplateResult {
  const rows = ctx.snapshot.compare;
  if (ctx.snapshot.comparing) return comparingState();
  if (!rows || rows.length === 0) return noComparisonState();
  const scale = barScale(rows);
  const held = ctx.snapshot.compareViews ?? [];
  return html`<section class="card compare-card">
    <h2 class="card-title">Strategies at equal budget <span class="muted scroll-hint" aria-hidden="true">more columns <span class="codicon codicon-arrow-right"></span></span></h2>
    ${held.length
      ? html`<p class="muted compare-hint">Open a strategy to see its trees in the Run and Prompt tabs and curate its answers.</p>`
      // The rows are saved with the panel; the strategies' runs are not (see persistableSnapshot).
      : html`<p class="muted compare-hint compare-not-held">The strategies' runs are not available any more (a window reload or a new run drops them); their results stay here. Compare again to open each strategy's run.</p>`}
    <div class="side-scroll" role="region" aria-label="Strategy comparison" ${ref(watchSideScroll)}><table class="data-table compare-table">
      <thead><tr>
        <th scope="col">Strategy</th><th scope="col" class="bar-col">Mean best reward</th><th scope="col" class="num">Prompts</th>
        <th scope="col" class="num">Plays</th><th scope="col" class="num">Tokens</th><th scope="col" class="num">Cost</th><th scope="col" class="num">Time</th>
      </tr></thead>
      <tbody>${bestFirst(rows).map((r) => compareRow(ctx, r, scale, held))}</tbody>
    </table></div>
  </section>`;
}

function comparingState(): TemplateResult {
  return html`<div class="empty-state compare-running" role="status">
    <span class="codicon codicon-loading codicon-modifier-spin empty-icon" aria-hidden="true"></span>
    <h2>Comparing strategies…</h2>
    <p>TOA and the five baselines run one after another on the same prompts; the Run and Prompt tabs show the one running. The table comes here when the last one ends.</p>
  </div>`;
}

function noComparisonState(): TemplateResult {
  return html`<div class="empty-state">
    <span class="codicon codicon-graph empty-icon" aria-hidden="true"></span>
    <h2>No comparison yet</h2>
    <p>Run <strong>TOA Studio: Compare Strategies on Selection</strong> to run every strategy on the same prompts at the same budget.</p>
  </div>`;
}

/** How long each strategy's bar is (percent), and which strategies are starred. */
interface BarScale {
  width(mean: number | null): number;
  isWinner(row: CompareRow): boolean;
}

function barScale(rows: readonly CompareRow[]): BarScale {
  // A strategy that finished no prompt has no mean (null): it goes last, without a bar or a star.
  const means = rows.filter(hasMean).map((r) => r.meanBestReward);
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  // Bars are lengths from zero when every mean is positive (so they compare honestly); rewards
  // that go below zero start a little below the lowest mean instead.
  const base = lo >= 0 ? 0 : lo - (hi - lo || 1) * 0.25;
  return {
    width: (v) => (v === null ? 0 : Math.round(((v - base) / (hi - base || 1)) * 100)),
    // Every strategy at the best mean is starred: a tie is no strategy's lead, whichever is listed first.
    isWinner: (r) => r.meanBestReward !== null && r.meanBestReward === hi,
  };
}

function compareRow(ctx: ViewContext, r: CompareRow, scale: BarScale, held: readonly StrategyName[]): TemplateResult {
  const winner = scale.isWinner(r);
  return html`<tr class=${winner ? 'winner' : ''}>
    <td>${winner ? html`<span class="codicon codicon-star-full winner-icon" role="img" aria-label="highest mean reward"></span>` : html`<span class="codicon codicon-blank" aria-hidden="true"></span>`}${strategyCell(ctx, r.strategy, held)}</td>
    <td class="bar-col"><div class="share"><div class="share-track wide"><div class=${`share-bar${winner ? ' top' : ''}`} .style=${`width:${scale.width(r.meanBestReward)}%`}></div></div><span class="num">${fmtReward(r.meanBestReward)}</span></div></td>
    <td class="num" title=${r.failed ? `${r.failed} failed` : ''}>${fmtInt(r.prompts)}${r.failed ? html` <span class="error-text">(${fmtInt(r.failed)} failed)</span>` : ''}</td><td class="num">${fmtInt(r.plays)}</td><td class="num">${fmtCompact(r.tokens)}</td>
    <td class="num">${fmtCost(r.costUsd)}</td><td class="num">${fmtMs(r.elapsedMs)}</td>
  </tr>`;
}

function hasMean(row: CompareRow): row is CompareRow & { meanBestReward: number } {
  return row.meanBestReward !== null;
}

/** A strategy whose run the host holds opens it; the one the other tabs show says so. */
function strategyCell(ctx: ViewContext, strategy: StrategyName, held: readonly StrategyName[]): TemplateResult | string {
  const title = STRATEGY_TITLES[strategy];
  if (!held.includes(strategy)) return title;
  if (ctx.snapshot.strategy === strategy) return html`${title} <span class="shown-tag" aria-current="true">shown</span>`;
  const opening = ctx.store.openingStrategy === strategy;
  return html`<button class="link-button open-strategy" aria-busy=${opening} title=${`Show the ${title} run in the Run and Prompt tabs`} @click=${() => ctx.actions.showStrategy(strategy)}>${title}</button>${opening ? html` <span class="muted opening-tag">opening…</span>` : nothing}`;
}
