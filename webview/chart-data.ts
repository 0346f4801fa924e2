import { outranks, standingOf, type Standing } from '../src/shared/best-answer';
import type { RewardCurve } from '../src/shared/protocol';
import type { SearchTree } from '../src/shared/tree';

/** Data and scales for the reward-against-plays charts; pure, so it is unit-tested. */

export interface ChartPoint {
  x: number;
  y: number;
  /** Agent index, for colour (per-play points of one prompt). */
  agent?: number;
  nodeId?: number;
}

export interface RewardSeries {
  /** One point per play: its reward. */
  plays: ChartPoint[];
  /** Best reward so far, one point per play. */
  best: ChartPoint[];
}

/**
 * A prompt's plays in play order: reward of each, and the best so far by the rule that names the
 * finished prompt's best (see best-answer), so the line ends at the answer the outputs take.
 */
export function promptSeries(tree: SearchTree): RewardSeries {
  const responses = tree.nodes.filter((n) => n?.kind === 'response' && n.reward !== undefined && n.play !== undefined);
  responses.sort((a, b) => a.play! - b.play!);
  const plays: ChartPoint[] = [];
  const best: ChartPoint[] = [];
  let top: Standing | undefined;
  for (const n of responses) {
    const standing = standingOf(n);
    if (outranks(standing, top)) top = standing;
    plays.push({ x: n.play!, y: n.reward!, agent: n.agent ?? 0, nodeId: n.id });
    best.push({ x: n.play!, y: top!.reward });
  }
  return { plays, best };
}

/** The run: mean best-so-far and mean per-play reward over the prompts that reached k plays. */
export function runSeries(curve: RewardCurve | undefined): RewardSeries {
  const plays: ChartPoint[] = [];
  const best: ChartPoint[] = [];
  curve?.count.forEach((count, k) => {
    if (count === 0) return;
    plays.push({ x: k + 1, y: curve.reward[k]! / count });
    best.push({ x: k + 1, y: curve.best[k]! / count });
  });
  return { plays, best };
}

/** Round tick values (steps of 1, 2 or 5 x 10^n) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** [min, max] of the values, widened a little so points do not sit on the frame. */
export function paddedExtent(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

export function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** SVG path through the points as a step line (best-so-far changes only at a play). */
export function stepPath(points: readonly ChartPoint[], x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  points.forEach((p, i) => {
    const px = x(p.x).toFixed(1);
    const py = y(p.y).toFixed(1);
    d += i === 0 ? `M${px} ${py}` : `H${px}V${py}`;
  });
  return d;
}
