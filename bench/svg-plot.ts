/** A hand-written SVG line chart (log-scale x, error bars, reference lines), no dependencies. */

interface PlotPoint {
  x: number;
  y: number;
  /** Half-height of the error bar. */
  err: number;
}

interface PlotSeries {
  name: string;
  color: string;
  points: PlotPoint[];
  /** Drawn thicker and on top. */
  emphasis?: boolean;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  /** Dashed horizontal lines. */
  hLines?: Array<{ y: number; label: string }>;
  /** Dashed vertical lines. */
  vLines?: Array<{ x: number; label: string }>;
  note?: string;
  /** Values outside this range are impossible (e.g. a quality in [0, 1]): the axis and error bars stop there. */
  yBounds?: [number, number];
}

const W = 800;
const H = 480;
const M = { left: 70, right: 200, top: 56, bottom: 72 };

/** Where values land in the plot area: x on a log scale, y linear between nice ticks. */
interface Scale {
  xs: number[];
  yMin: number;
  yMax: number;
  step: number;
  plotW: number;
  plotH: number;
  px(x: number): number;
  py(y: number): number;
  /** A value cut to the possible range (yBounds). */
  clampY(y: number): number;
}

export function lineChartSvg(options: PlotOptions): string {
  const scale = chartScale(options);
  const { lines, labels } = referenceLines(options, scale);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    ...frame(options, scale),
    ...lines,
    ...seriesMarks(options, scale),
    // Reference labels after the series, so no line hides them.
    ...labels,
    ...legend(options, scale),
    '</svg>',
  ];
  return `${out.join('\n')}\n`;
}

function chartScale(options: PlotOptions): Scale {
  const [lowest, highest] = options.yBounds ?? [-Infinity, Infinity];
  const clampY = (y: number): number => Math.min(highest, Math.max(lowest, y));
  const all = options.series.flatMap((s) => s.points.map((p) => ({ ...p, lo: clampY(p.y - p.err), hi: clampY(p.y + p.err) })));
  const xs = [...new Set([...all.map((p) => p.x), ...(options.vLines ?? []).map((l) => l.x)])].sort((a, b) => a - b);
  const xMin = Math.log(xs[0]! / 1.15);
  const xMax = Math.log(xs.at(-1)! * 1.15);
  const lows = [...all.map((p) => p.lo), ...(options.hLines ?? []).map((l) => l.y)];
  const highs = [...all.map((p) => p.hi), ...(options.hLines ?? []).map((l) => l.y)];
  const step = niceStep(Math.max(...highs) - Math.min(...lows));
  const yMin = Math.max(lowest, Math.floor(Math.min(...lows) / step) * step);
  const yMax = Math.min(highest, Math.ceil(Math.max(...highs) / step) * step);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  return {
    xs,
    yMin,
    yMax,
    step,
    plotW,
    plotH,
    px: (x) => M.left + ((Math.log(x) - xMin) / (xMax - xMin)) * plotW,
    py: (y) => M.top + (1 - (y - yMin) / (yMax - yMin)) * plotH,
    clampY,
  };
}

/** Background, title, grid with its ticks, the plot's border and the axis labels. */
function frame(options: PlotOptions, { xs, yMin, yMax, step, plotW, plotH, px, py }: Scale): string[] {
  const out = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`, `<text x="${M.left}" y="28" font-size="16" font-weight="bold">${esc(options.title)}</text>`];
  if (options.note) out.push(`<text x="${M.left}" y="46" fill="#555555">${esc(options.note)}</text>`);
  for (let y = yMin; y <= yMax + step / 2; y += step) {
    const at = py(y);
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${f(at)}" y2="${f(at)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${f(at + 4)}" text-anchor="end">${y.toFixed(decimals(step))}</text>`);
  }
  for (const x of xs) {
    const at = px(x);
    out.push(`<line x1="${f(at)}" x2="${f(at)}" y1="${M.top}" y2="${M.top + plotH}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${f(at)}" y="${M.top + plotH + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444444"/>`);
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 24}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`);
  return out;
}

/** The dashed reference lines, and their labels apart (drawn last). */
function referenceLines(options: PlotOptions, { plotW, plotH, px, py }: Scale): { lines: string[]; labels: string[] } {
  const lines: string[] = [];
  const labels: string[] = [];
  for (const line of options.hLines ?? []) {
    const at = py(line.y);
    lines.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${f(at)}" y2="${f(at)}" stroke="#333333" stroke-dasharray="6 4"/>`);
    // Above the line, unless that would run into the frame: then below it.
    const labelY = at - 6 < M.top + 14 ? at + 16 : at - 6;
    labels.push(`<text x="${M.left + 6}" y="${f(labelY)}" fill="#333333" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(line.label)}</text>`);
  }
  for (const line of options.vLines ?? []) {
    const at = px(line.x);
    lines.push(`<line x1="${f(at)}" x2="${f(at)}" y1="${M.top}" y2="${M.top + plotH}" stroke="#333333" stroke-dasharray="3 4"/>`);
    labels.push(`<text x="${f(at + 4)}" y="${M.top + plotH - 8}" fill="#333333" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(line.label)}</text>`);
  }
  return { lines, labels };
}

/** Each series' line, points and error bars: emphasized last so they are drawn on top; a small x offset keeps error bars apart. */
function seriesMarks(options: PlotOptions, { px, py, clampY }: Scale): string[] {
  const out: string[] = [];
  const ordered = [...options.series].sort((a, b) => Number(a.emphasis ?? false) - Number(b.emphasis ?? false));
  for (const series of ordered) {
    const offset = (options.series.indexOf(series) - (options.series.length - 1) / 2) * 3;
    const pts = [...series.points].sort((a, b) => a.x - b.x);
    out.push(`<g stroke="${series.color}" fill="${series.color}">`);
    out.push(`<polyline fill="none" stroke-width="${series.emphasis ? 3 : 1.75}" points="${pts.map((p) => `${f(px(p.x) + offset)},${f(py(p.y))}`).join(' ')}"/>`);
    for (const p of pts) {
      const x = px(p.x) + offset;
      if (p.err > 0) out.push(...errorBar(x, py(clampY(p.y - p.err)), py(clampY(p.y + p.err))));
      out.push(`<circle cx="${f(x)}" cy="${f(py(p.y))}" r="${series.emphasis ? 4 : 3}" stroke="none"/>`);
    }
    out.push('</g>');
  }
  return out;
}

function errorBar(x: number, lo: number, hi: number): string[] {
  return [
    `<line x1="${f(x)}" x2="${f(x)}" y1="${f(lo)}" y2="${f(hi)}" stroke-width="1"/>`,
    `<line x1="${f(x - 3)}" x2="${f(x + 3)}" y1="${f(lo)}" y2="${f(lo)}" stroke-width="1"/>`,
    `<line x1="${f(x - 3)}" x2="${f(x + 3)}" y1="${f(hi)}" y2="${f(hi)}" stroke-width="1"/>`,
  ];
}

function legend(options: PlotOptions, { plotW }: Scale): string[] {
  const lx = M.left + plotW + 20;
  const out = options.series.flatMap((series, i) => {
    const y = M.top + 10 + i * 22;
    return [
      `<line x1="${lx}" x2="${lx + 24}" y1="${y}" y2="${y}" stroke="${series.color}" stroke-width="${series.emphasis ? 3 : 1.75}"/>`,
      `<circle cx="${lx + 12}" cy="${y}" r="3" fill="${series.color}"/>`,
      `<text x="${lx + 32}" y="${y + 4}"${series.emphasis ? ' font-weight="bold"' : ''}>${esc(series.name)}</text>`,
    ];
  });
  out.push(`<text x="${lx}" y="${M.top + 10 + options.series.length * 22 + 8}" fill="#555555">bars: 95% CI over seeds</text>`);
  if (options.yBounds) out.push(`<text x="${lx}" y="${M.top + 10 + options.series.length * 22 + 26}" fill="#555555">(cut at ${options.yBounds[1]}, the maximum)</text>`);
  return out;
}

function niceStep(range: number): number {
  const raw = Math.max(range, 1e-6) / 6;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / pow;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * pow;
}

function decimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

function f(n: number): string {
  return n.toFixed(1);
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
