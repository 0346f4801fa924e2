import { bestFirst } from '../shared/compare-order';
import type { CompareRow } from '../shared/protocol';
import { count } from '../shared/plural';

export interface CompareContext {
  budget: number;
  prompts: number;
  agents: string[];
  /** Where the prompts came from, e.g. `prompts.jsonl lines 3-7`. */
  source: string;
  cancelled: boolean;
}

/** The strategy comparison as a markdown document: one row per strategy, best first (see bestFirst), best mean reward in bold. */
export function compareMarkdown(rows: readonly CompareRow[], ctx: CompareContext): string {
  const best = Math.max(...rows.flatMap((r) => (r.meanBestReward === null ? [] : [r.meanBestReward])));
  const lines = [
    '# TOA Studio: strategy comparison',
    '',
    `${count(ctx.prompts, 'prompt')} from ${ctx.source}, budget ${ctx.budget} plays per prompt, agents: ${ctx.agents.join(', ')}.`,
    '',
    '| strategy | mean best reward | prompts | failed | plays | tokens | cost (USD) | time (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...bestFirst(rows).map((r) => {
      const reward = formatReward(r.meanBestReward);
      const shown = r.meanBestReward === best ? `**${reward}**` : reward;
      return `| ${r.strategy} | ${shown} | ${r.prompts} | ${r.failed} | ${r.plays} | ${r.tokens} | ${r.costUsd.toFixed(4)} | ${(r.elapsedMs / 1000).toFixed(1)} |`;
    }),
  ];
  if (ctx.cancelled) lines.push('', '_Cancelled: strategies that had not finished are not listed._');
  return `${lines.join('\n')}\n`;
}

function formatReward(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(4);
}
