import { textTable, type Column } from '../core/util/table';
import { answeredAny, winsText, type AgentStats, type RewardStats, type RunTotals } from '../shared/stats';
import { count } from '../shared/plural';

const agentColumns: Column<AgentStats>[] = [
  { header: 'agent', value: (a) => a.name },
  { header: 'calls', value: (a) => a.calls },
  { header: 'failed', value: (a) => a.failures },
  { header: 'retries', value: (a) => a.retries },
  { header: 'cut off', value: (a) => a.cutOff },
  // No answer scored, no call answered: – (the panel's too), as 0 would read as a score or a time.
  // Four decimals always, so the column lines up on the point (0.0820 under 0.0813, not 0.082).
  { header: 'mean reward', value: (a) => (a.meanReward === null ? '–' : fixed4(a.meanReward)), align: 'right' },
  { header: 'wins', value: (a) => winsText(a.wins) },
  { header: 'win share', value: (a) => `${(a.winShare * 100).toFixed(1)}%`, align: 'right' },
  { header: 'tokens in', value: (a) => a.promptTokens },
  { header: 'tokens out', value: (a) => a.completionTokens },
  { header: 'p50 latency', value: (a) => (answeredAny(a) ? `${Math.round(a.medianLatencyMs)} ms` : '–'), align: 'right' },
  { header: 'cost', value: (a) => `$${a.costUsd.toFixed(4)}`, align: 'right' },
];

export function agentStatsTable(agents: AgentStats[]): string {
  return textTable(agents, agentColumns);
}

/** The reward model's calls: one per play, so its failures and retries are the run's too. */
export function rewardLine(r: RewardStats | undefined): string {
  if (!r) return '';
  const latency = answeredAny(r) ? `, p50 latency ${Math.round(r.medianLatencyMs)} ms` : '';
  return `reward ${r.name}: ${count(r.calls, 'call')}, ${r.failures} failed, ${count(r.retries, 'retry', 'retries')}${latency}`;
}

export function totalsLine(t: RunTotals): string {
  const parts = [
    `${t.done} done`,
    t.failed ? `${t.failed} failed` : '',
    t.skipped ? `${t.skipped} skipped (already in the trace)` : '',
    `${t.plays} plays`,
    `${t.promptTokens + t.completionTokens} tokens`,
    `$${t.costUsd.toFixed(4)}`,
    `${(t.elapsedMs / 1000).toFixed(1)} s`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** A reward with four decimals; one that is not a number (no reward scored) as 0, as before. */
export function fixed4(n: number): string {
  return (Number.isFinite(n) ? n : 0).toFixed(4);
}
