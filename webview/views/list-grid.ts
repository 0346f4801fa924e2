import { html, type TemplateResult } from 'lit';

/**
 * A virtualized list (toa-virtual-list) as one grid with its header row, so that a screen reader
 * names each cell's column ("Reward, 0.82"). The header row sits outside the list's scroller,
 * in view however the rows scroll; the list's rows are the grid's second row group.
 */

/** The aria-rowindex of the list's row `index`: the header is row 1. */
export function gridRowIndex(index: number): number {
  return index + 2;
}

/**
 * The grid: `columns`, one header cell per column (each with the classes its rows' cells take,
 * e.g. `num`), in a row of `rowClass` (which lays the columns out); `list`, the virtual list of
 * `count` rows, each made with `role="row"` and `aria-rowindex=${gridRowIndex(i)}`.
 */
export function listGrid(label: string, rowClass: string, columns: readonly (readonly [name: TemplateResult | string, cellClass: string])[], count: number, list: TemplateResult): TemplateResult {
  return html`<div class="vgrid" role="grid" aria-label=${label} aria-rowcount=${count + 1}>
    <div role="rowgroup">
      <div class=${`vhead ${rowClass}`} role="row" aria-rowindex="1">
        ${columns.map(([name, cellClass]) => html`<span class=${`cell ${cellClass}`} role="columnheader">${name}</span>`)}
      </div>
    </div>
    ${list}
  </div>`;
}
