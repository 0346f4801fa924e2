/** Plain-text tables for terminals and Markdown tables for docs, from the same rows. */

export interface Column<Row> {
  header: string;
  value(row: Row): string | number;
  /** Right-align numbers by default. */
  align?: 'left' | 'right';
}

function cells<Row>(rows: Row[], columns: Column<Row>[]): string[][] {
  return rows.map((row) => columns.map((c) => String(c.value(row))));
}

function alignOf<Row>(column: Column<Row>, sample: Row | undefined): 'left' | 'right' {
  if (column.align) return column.align;
  return sample !== undefined && typeof column.value(sample) === 'number' ? 'right' : 'left';
}

export function textTable<Row>(rows: Row[], columns: Column<Row>[]): string {
  const body = cells(rows, columns);
  const widths = columns.map((c, i) => Math.max(c.header.length, ...body.map((r) => r[i]!.length)));
  const pad = (text: string, i: number): string =>
    alignOf(columns[i]!, rows[0]) === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (r: string[]): string => r.map(pad).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function markdownTable<Row>(rows: Row[], columns: Column<Row>[]): string {
  const rule = columns.map((c) => (alignOf(c, rows[0]) === 'right' ? '---:' : '---'));
  const line = (r: string[]): string => `| ${r.join(' | ')} |`;
  return [line(columns.map((c) => c.header)), line(rule), ...cells(rows, columns).map(line)].join('\n');
}
