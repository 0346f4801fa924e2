import { html, type TemplateResult } from 'lit';
import { SizedElement } from './sized-element';
import { customElement, property, state } from 'lit/decorators.js';

/**
 * <toa-virtual-list>: renders only the rows in view (plus a margin) of a fixed-row-height list,
 * so a queue of ten thousand prompts costs the same per frame as one of twenty.
 */
@customElement('toa-virtual-list')
export class VirtualList extends SizedElement {
  @property({ type: Number }) count = 0;
  @property({ type: Number }) rowHeight = 24;
  @property({ attribute: false }) renderRow: (index: number) => TemplateResult = () => html``;
  /** Changes whenever the rows' data changed. */
  @property({ type: Number }) version = 0;
  @property() label = '';
  @state() private scrollOffset = 0;
  @state() private viewport = 400;

  protected override resized(box: DOMRectReadOnly): void {
    this.viewport = Math.max(this.rowHeight, box.height);
  }

  /** Scrolls the row into view if it is not. */
  revealRow(index: number): void {
    const top = index * this.rowHeight;
    if (top < this.scrollOffset || top + this.rowHeight > this.scrollOffset + this.viewport) {
      this.scrollOffset = Math.max(0, top - this.viewport / 2);
      this.querySelector('.vlist-scroll')?.scrollTo({ top: this.scrollOffset });
    }
  }

  protected override render(): TemplateResult {
    const overscan = 8;
    const first = Math.max(0, Math.floor(this.scrollOffset / this.rowHeight) - overscan);
    const last = Math.min(this.count, Math.ceil((this.scrollOffset + this.viewport) / this.rowHeight) + overscan);
    const rows: TemplateResult[] = [];
    for (let i = first; i < last; i++) rows.push(this.renderRow(i));
    return html`<div class="vlist-scroll" role="grid" aria-label=${this.label} aria-rowcount=${this.count}
        @scroll=${(e: Event) => (this.scrollOffset = (e.target as HTMLElement).scrollTop)}>
      <div class="vlist-spacer" .style=${`height:${this.count * this.rowHeight}px`}>
        <div class="vlist-window" .style=${`transform:translateY(${first * this.rowHeight}px)`}>${rows}</div>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'toa-virtual-list': VirtualList;
  }
}
