import { html, svg, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { niceTicks, paddedExtent, scale, stepPath, type RewardSeries } from './chart-data';
import { fmtReward } from './format';
import { agentClass } from './palette';
import { SizedElement } from './sized-element';
import { count } from '../src/shared/plural';

/**
 * <toa-chart>: reward against plays as SVG: one dot per play (coloured by agent when known)
 * and the best-so-far as a step line. Sized to its container. Fires `point-select`
 * (detail: { nodeId }) when a dot with a node is clicked.
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
    // An image to a screen reader: its name says what the picture shows (the dots are for the mouse;
    // each play's answer is in the tree and the Candidates list).
    const summary = `${this.label}: ${count(plays.length, 'play')}, best so far ${fmtReward(best.at(-1)?.y)}`;
    return html`<svg class="chart" width=${w} height=${h} role="img" aria-label=${summary}>
      ${yTicks.map((t) => svg`<line class="grid" x1=${pad.left} x2=${w - pad.right} y1=${y(t)} y2=${y(t)}></line>
        <text class="tick y" x=${pad.left - 6} y=${y(t)}>${fmtReward(t)}</text>`)}
      ${xTicks.map((t) => svg`<text class="tick x" x=${x(t)} y=${h - pad.bottom + 14}>${t}</text>`)}
      <line class="axis" x1=${pad.left} x2=${w - pad.right} y1=${h - pad.bottom} y2=${h - pad.bottom}></line>
      <text class="axis-label" x=${w - pad.right} y=${h - 2}>plays</text>
      <path class="best-line" d=${stepPath(best, x, y)}></path>
      ${plays.map((p) => svg`<circle class=${`dot ${agentClass(p.agent)}${p.nodeId !== undefined && p.nodeId === this.selected ? ' selected' : ''}${p.nodeId === undefined ? '' : ' pickable'}`}
          cx=${x(p.x).toFixed(1)} cy=${y(p.y).toFixed(1)} r=${dotR}
          @click=${p.nodeId === undefined ? nothing : () => this.pick(p.nodeId!)}>
          <title>${this.pointTitle(p.x, p.y, p.agent, p.nodeId)}</title></circle>`)}
    </svg>`;
  }

  private pointTitle(play: number, reward: number, agent: number | undefined, nodeId: number | undefined): string {
    const who = agent === undefined ? 'mean reward' : (this.agents[agent] ?? `agent ${agent}`);
    return `play ${play} · ${who} · ${fmtReward(reward)}${nodeId === undefined ? '' : ` · #${nodeId}`}`;
  }

  private pick(nodeId: number): void {
    this.dispatchEvent(new CustomEvent('point-select', { detail: { nodeId }, bubbles: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'toa-chart': RewardChart;
  }
}
