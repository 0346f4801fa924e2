import { html, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { SizedElement } from './sized-element';
import { customElement, property, state } from 'lit/decorators.js';

/** Keys that move the keyboard between rows, as in VS Code's own lists. */
const NAVIGATION_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp']);

/**
 * <toa-virtual-list>: renders only the rows in view (plus a margin) of a fixed-row-height list,
 * so a queue of ten thousand prompts costs the same per frame as one of twenty.
 *
 * Keyboard focus follows the row's data, not its element: elements are keyed by `keyOf`, so
 * scrolling never hands a focused element to another row, and the focused row stays rendered
 * (out of sight) while it is scrolled away, so the focus is neither lost nor moved. The arrows,
 * Home, End and the page keys move from that row; one row at a time is tabbable (roving tabindex).
 *
 * Its rows are a row group: the grid that holds it, with the header row, is the view's (listGrid).
 */
@customElement('toa-virtual-list')
export class VirtualList extends SizedElement {
  @property({ type: Number }) count = 0;
  @property({ type: Number }) rowHeight = 24;
  /** Renders row `index`; `tabbable`: the one row Tab stops at (tabindex 0, the others -1). */
  @property({ attribute: false }) renderRow: (index: number, tabbable: boolean) => TemplateResult = () => html``;
  /** The row's identity (a prompt id, a node id): an element stays with its row. */
  @property({ attribute: false }) keyOf: (index: number) => string = String;
  /** Changes whenever the rows' data changed. */
  @property({ type: Number }) version = 0;
  @state() private scrollOffset = 0;
  @state() private viewport = 400;
  /** The row the keyboard was last on, by index and key (a new run reuses indices, not keys). */
  @state() private active: { index: number; key: string } | null = null;
  /** Whether the focus is in the list: its row is then rendered wherever the list scrolled. */
  @state() private focusWithin = false;

  protected override resized(box: DOMRectReadOnly): void {
    this.viewport = Math.max(this.rowHeight, box.height);
  }

  /** Scrolls the row just into view if it is not (the least scrolling that shows it). */
  revealRow(index: number): void {
    const top = index * this.rowHeight;
    const offset = top < this.scrollOffset ? top : top + this.rowHeight > this.scrollOffset + this.viewport ? top + this.rowHeight - this.viewport : this.scrollOffset;
    if (offset === this.scrollOffset) return;
    this.scrollOffset = Math.max(0, offset);
    const scroller = this.querySelector('.vlist-scroll');
    if (scroller) scroller.scrollTop = this.scrollOffset;
  }

  protected override render(): TemplateResult {
    const overscan = 8;
    const first = Math.max(0, Math.floor(this.scrollOffset / this.rowHeight) - overscan);
    const last = Math.min(this.count, Math.ceil((this.scrollOffset + this.viewport) / this.rowHeight) + overscan);
    const indices: number[] = [];
    const active = this.activeIndex();
    const keep = active !== undefined && this.focusWithin && (active < first || active >= last);
    // In index order: moving a focused element in the DOM would blur it.
    if (keep && active < first) indices.push(active);
    for (let i = first; i < last; i++) indices.push(i);
    if (keep && active >= last) indices.push(active);
    const tabbable = this.tabbableIndex(active);
    return html`<div class="vlist-scroll" role="rowgroup"
        @scroll=${(e: Event) => (this.scrollOffset = (e.target as HTMLElement).scrollTop)}
        @keydown=${(e: KeyboardEvent) => this.onKeydown(e)} @focusin=${(e: FocusEvent) => this.onFocusin(e)} @focusout=${(e: FocusEvent) => this.onFocusout(e)}>
      <div class="vlist-spacer" .style=${`height:${this.count * this.rowHeight}px`}>
        ${repeat(indices, (i) => this.keyOf(i), (i) => html`<div class="vlist-item" data-index=${i} .style=${`transform:translateY(${i * this.rowHeight}px)`}>${this.renderRow(i, i === tabbable)}</div>`)}
      </div>
    </div>`;
  }

  /** The active row's index while it still holds the row it was (else the data changed under it). */
  private activeIndex(): number | undefined {
    const active = this.active;
    return active && active.index < this.count && this.keyOf(active.index) === active.key ? active.index : undefined;
  }

  /** The active row while focused or in view; otherwise the first row in view, so Tab lands where the user looks. */
  private tabbableIndex(active: number | undefined): number {
    const firstInView = Math.min(this.count - 1, Math.ceil(this.scrollOffset / this.rowHeight));
    const lastInView = Math.floor((this.scrollOffset + this.viewport) / this.rowHeight) - 1;
    if (active !== undefined && (this.focusWithin || (active >= firstInView && active <= lastInView))) return active;
    return firstInView;
  }

  /** The index of the row whose own element is `target` (not a control inside a row). */
  private rowIndexOf(target: EventTarget | null): number | undefined {
    const item = target instanceof Element ? target.parentElement : null;
    return item?.classList.contains('vlist-item') && this.contains(item) ? Number(item.dataset.index) : undefined;
  }

  private onFocusin(e: FocusEvent): void {
    this.focusWithin = true;
    const index = this.rowIndexOf(e.target);
    if (index !== undefined) this.active = { index, key: this.keyOf(index) };
  }

  private onFocusout(e: FocusEvent): void {
    if (!(e.relatedTarget instanceof Node && this.contains(e.relatedTarget))) this.focusWithin = false;
  }

  private onKeydown(e: KeyboardEvent): void {
    const from = this.rowIndexOf(e.target);
    if (from === undefined || !NAVIGATION_KEYS.has(e.key) || e.altKey || e.ctrlKey || e.metaKey || this.count === 0) return;
    e.preventDefault();
    const page = Math.max(1, Math.floor(this.viewport / this.rowHeight) - 1);
    const step: Record<string, number> = { ArrowDown: from + 1, ArrowUp: from - 1, Home: 0, End: this.count - 1, PageDown: from + page, PageUp: from - page };
    void this.focusRow(Math.max(0, Math.min(this.count - 1, step[e.key]!)));
  }

  /** Moves the keyboard to row `index`: scrolled into view, rendered, then focused. */
  private async focusRow(index: number): Promise<void> {
    this.active = { index, key: this.keyOf(index) };
    this.revealRow(index);
    await this.updateComplete;
    this.querySelector<HTMLElement>(`.vlist-item[data-index="${index}"] > *`)?.focus({ preventScroll: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'toa-virtual-list': VirtualList;
  }
}
