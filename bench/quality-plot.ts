import { STRATEGIES, type StrategyName } from '../src/core';
import type { QualityResult } from './quality';
import { lineChartSvg } from './svg-plot';

const COLORS: Record<StrategyName, string> = {
  toa: '#d62728',
  'best-of-n': '#7f7f7f',
  prs: '#8c564b',
  ensemble: '#1f77b4',
  sequential: '#2ca02c',
  moa: '#9467bd',
};

/** docs/bench-quality.svg: mean true quality of the selected answer against plays, per strategy. */
export function qualityPlotSvg(result: QualityResult): string {
  const { options, target, toaAtFraction } = result;
  return lineChartSvg({
    title: 'Quality per compute on the simulated endpoints',
    note: `${options.prompts} prompts x ${options.seeds.length} seeds; true quality of the answer picked by the (noisy) reward`,
    xLabel: 'plays per prompt (log scale)',
    yLabel: 'mean true quality of the selected answer',
    yBounds: [0, 1],
    series: STRATEGIES.map((strategy) => ({
      name: strategy === 'toa' ? 'TOA' : strategy,
      color: COLORS[strategy],
      emphasis: strategy === 'toa',
      points: result.points.filter((p) => p.strategy === strategy).map((p) => ({ x: p.budget, y: p.mean, err: p.ci95 })),
    })),
    hLines: [{ y: target.quality, label: `best baseline at ${target.budget} (${target.strategy}): ${target.quality.toFixed(3)}` }],
    vLines: toaAtFraction ? [{ x: toaAtFraction.budget, label: `${toaAtFraction.budget} = 40% of ${target.budget}` }] : [],
  });
}
