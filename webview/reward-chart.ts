import { html, svg, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { niceTicks, paddedExtent, scale, stepPath, type ChartPoint, type RewardSeries } from './chart-data';
import { fmtReward } from './format';
import { agentClass } from './palette';
import { SizedElement } from './sized-element';
import { count } from '../src/shared/plural';

/**
 * <toa-chart>: reward against plays as SVG: one dot per play (coloured by agent when known)
 * and the best-so-far as a step line. Sized to its container. Fires `point-select`
 * (detail: { nodeId }) when a dot with a node is clicked, or chosen with Enter.
 *
 * To the keyboard and screen readers the chart is a list of its plays (a listbox, as the tree
 * is a tree): Tab reaches it, the arrows, Home and End move between the plays, each read out as
 * its tooltip says it, and Enter or Space picks the play's answer as a click on its dot does.
 */
@customElement('toa-chart')
export class RewardChart extends SizedElement {
  @property({ attribute: false }) series: RewardSeries = { plays: [], best: [] };
  @property({ attribute: false }) agents: string[] = [];
  @property({ type: Number }) selected: number | null = null;
  /**
   * Plays the x axis spans from the start (the search's budget): a live search then adds a dot
   * per play where it stays, rather than squeezing every dot and tick at each play. Plays beyond
   * it widen the axis.
   */
  @property({ type: Number }) budget = 0;
  /** Changes whenever the (mutated-in-place) data changed. */
  @property({ type: Number }) version = 0;
  @property() label = 'Reward against plays';
  @state() private width = 0;
  @state() private height = 0;
  /** The play the keyboard is on (an index into the plays), once it moved; else the selected play's. */
  @state() private active: number | null = null;
  /** Element ids are the document's: each chart's own prefix. */
  private readonly ids = `toa-chart-${++chartCount}`;

  /** Sized by CSS; the SVG follows the element's box. */
  protected override resized(box: DOMRectReadOnly): void {
    const width = Math.floor(box.width);
    const height = Math.floor(box.height);
    if (width !== this.width) this.width = width;
    if (height !== this.height) this.height = height;
  }

  protected override render(): TemplateResult {
    const { plays, best } = this.series;
    const w = this.width;
    const h = this.height;
    if (plays.length === 0 || w < 80 || h < 60) return html`<div class="chart-empty">No plays yet.</div>`;
    const pad = { left: 44, right: 12, top: 10, bottom: 26 };
    const maxX = Math.max(this.budget, plays[plays.length - 1]!.x, ...best.map((p) => p.x), 2);
    const x = scale([1, maxX], [pad.left, w - pad.right]);
    const yDomain = paddedExtent([...plays.map((p) => p.y), ...best.map((p) => p.y)]);
    const y = scale(yDomain, [h - pad.bottom, pad.top]);
    const xTicks = niceTicks(1, maxX, Math.max(2, Math.floor(w / 80))).filter((t) => Number.isInteger(t));
    const yTicks = niceTicks(yDomain[0], yDomain[1], 4);
    const dotR = plays.length > 400 ? 1.8 : 3;
    const active = this.activeIndex();
    const pickable = plays.some((p) => p.nodeId !== undefined);
    const summary = `${this.label}: ${count(plays.length, 'play')}, best so far ${fmtReward(best.at(-1)?.y)}`;
    return html`<svg class="chart" width=${w} height=${h} role="listbox" tabindex="0" aria-label=${summary} aria-describedby=${`${this.ids}-keys`}
        aria-activedescendant=${`${this.ids}-${active}`} @keydown=${(e: KeyboardEvent) => this.onKey(e)}>
      <g aria-hidden="true">
        ${yTicks.map((t) => svg`<line class="grid" x1=${pad.left} x2=${w - pad.right} y1=${y(t)} y2=${y(t)}></line>
          <text class="tick y" x=${pad.left - 6} y=${y(t)}>${fmtReward(t)}</text>`)}
        ${xTicks.map((t) => svg`<text class="tick x" x=${x(t)} y=${h - pad.bottom + 14}>${t}</text>`)}
        <line class="axis" x1=${pad.left} x2=${w - pad.right} y1=${h - pad.bottom} y2=${h - pad.bottom}></line>
        <text class="axis-label" x=${w - pad.right} y=${h - 2}>plays</text>
        <path class="best-line" d=${stepPath(best, x, y)}></path>
        <text class="active-label" x=${pad.left} y=${h - 2}>${this.pointTitle(plays[active]!)}</text>
      </g>
      ${plays.map((p, i) => this.dot(p, i, i === active, x(p.x), y(p.y), dotR))}
    </svg><span class="visually-hidden" id=${`${this.ids}-keys`}>${pickable ? KEYS_HELP_PICK : KEYS_HELP}</span>`;
  }

  private dot(p: ChartPoint, index: number, active: boolean, cx: number, cy: number, r: number): TemplateResult {
    const selected = p.nodeId !== undefined && p.nodeId === this.selected;
    return svg`<circle id=${`${this.ids}-${index}`} role="option" aria-selected=${p.nodeId === undefined ? nothing : String(selected)}
        class=${`dot ${agentClass(p.agent)}${selected ? ' selected' : ''}${p.nodeId === undefined ? '' : ' pickable'}${active ? ' active' : ''}`}
        cx=${cx.toFixed(1)} cy=${cy.toFixed(1)} r=${r}
        @click=${p.nodeId === undefined ? nothing : () => this.pick(index)}>
        <title>${this.pointTitle(p)}</title></circle>`;
  }

  /** The play the keyboard is on: the one it moved to, else the selected answer's, else the first. */
  private activeIndex(): number {
    const plays = this.series.plays;
    if (this.active !== null && this.active < plays.length) return this.active;
    const selected = this.selected === null ? -1 : plays.findIndex((p) => p.nodeId === this.selected);
    return Math.max(0, selected);
  }

  /** Left and Up: the play before; Right and Down: the next; Home and End; Enter and Space pick. */
  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const last = this.series.plays.length - 1;
    const from = this.activeIndex();
    const to: Record<string, number> = { ArrowLeft: from - 1, ArrowUp: from - 1, ArrowRight: from + 1, ArrowDown: from + 1, Home: 0, End: last };
    if (e.key in to) {
      e.preventDefault();
      this.active = Math.max(0, Math.min(last, to[e.key]!));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.pick(from);
    }
  }

  /** The play's tooltip, its name to a screen reader, and the line under the chart while the keyboard is on it. */
  private pointTitle({ x: play, y: reward, agent, nodeId }: ChartPoint): string {
    const who = agent === undefined ? 'mean reward' : (this.agents[agent] ?? `agent ${agent}`);
    return `play ${play} · ${who} · ${fmtReward(reward)}${nodeId === undefined ? '' : ` · #${nodeId}`}`;
  }

  /** Play `index`'s answer, for the tree and the node detail; the keyboard goes on from it. */
  private pick(index: number): void {
    const nodeId = this.series.plays[index]?.nodeId;
    if (nodeId === undefined) return;
    this.active = index;
    this.dispatchEvent(new CustomEvent('point-select', { detail: { nodeId }, bubbles: true }));
  }
}

let chartCount = 0;

const KEYS_HELP = 'Left and right arrows: the play before and after. Home and End: the first and last play.';
const KEYS_HELP_PICK = `${KEYS_HELP} Enter: show the play's answer in the tree and the node detail.`;

declare global {
  interface HTMLElementTagNameMap {
    'toa-chart': RewardChart;
  }
}
