import { performance } from 'node:perf_hooks';
import { markdownTable, textTable, type Column } from '../src/core/util/table';
import { runPrompts, type ChatAgent, type RewardModel, type RunSummary, type ToaConfig } from '../src/core';
import { fixed, ratio } from './format';
import { promptRows } from './prompts';
import { runParts, simConfig } from './setup';
import { spawnSim } from './sim-process';
import { instantReward, timerAgents } from './timer-agents';

export interface SchedulerOptions {
  prompts: number;
  budget: number;
  latencyMs: number;
  rewardLatencyMs: number;
  concurrency: number;
}

export const SCHEDULER_FULL: SchedulerOptions = { prompts: 200, budget: 40, latencyMs: 50, rewardLatencyMs: 0, concurrency: 32 };
export const SCHEDULER_QUICK: SchedulerOptions = { ...SCHEDULER_FULL, prompts: 64, budget: 20 };

interface SchedulerRow {
  label: string;
  /** The row the target is judged on. */
  primary: boolean;
  makespanMs: number;
  /** max(B*L, N*B*L/C) with the nominal chat latency L. */
  idealMs: number;
  ratio: number;
  /** Calls-weighted median chat latency the agents measured, ms. */
  observedLatencyMs: number;
  /** The ideal bound recomputed with the observed latency. */
  observedIdealRatio: number;
  plays: number;
  /** Client (this process) CPU time during the run, ms. */
  clientCpuMs: number;
  /** Event-loop utilization of this process during the run, 0..1. */
  elu: number;
  /** Share of the chat calls that went to the agent called most. */
  busiestAgentShare: number;
  /** The sim child's CPU time during the run, ms (undefined without a sim). */
  simCpuMs?: number;
}

export interface SchedulerResult {
  options: SchedulerOptions;
  rows: SchedulerRow[];
  /** ceil(N/C) * B * L: the makespan when prompts start only as others finish and each takes B*L. */
  roundsBoundMs: number;
}

type Variant = { label: string; primary: boolean; kind: 'sim'; stream: boolean; maxConcurrency?: number } | { label: string; primary: boolean; kind: 'timer' };

const VARIANTS: Variant[] = [
  { label: 'sim over HTTP, plain replies, maxConcurrency 32 per agent', primary: true, kind: 'sim', stream: false, maxConcurrency: 32 },
  { label: 'sim over HTTP, streamed replies (default), maxConcurrency 32 per agent', primary: false, kind: 'sim', stream: true, maxConcurrency: 32 },
  { label: 'sim over HTTP, plain replies, default maxConcurrency 8 per agent', primary: false, kind: 'sim', stream: false },
  { label: 'in-process timer agents (no HTTP), reward instant', primary: false, kind: 'timer' },
];

export async function schedulerBenchmark(options: SchedulerOptions, log: (line: string) => void): Promise<SchedulerResult> {
  const { prompts: n, budget: b, latencyMs: l, concurrency: c } = options;
  const idealMs = Math.max(b * l, (n * b * l) / c);
  const rows: SchedulerRow[] = [];
  for (const variant of VARIANTS) {
    log(`  scheduler: ${variant.label}`);
    rows.push(await runVariant(variant, options, idealMs));
  }
  return { options, rows, roundsBoundMs: Math.ceil(n / c) * b * l };
}

async function runVariant(variant: Variant, options: SchedulerOptions, idealMs: number): Promise<SchedulerRow> {
  const shape = { strategy: 'toa' as const, budget: options.budget, seed: 11, concurrency: options.concurrency };
  if (variant.kind === 'timer') {
    const config = simConfig('http://127.0.0.1:9', shape);
    const agents = timerAgents(config.agents.map((a) => a.name), options.latencyMs);
    return measure(variant, options, idealMs, config, agents, instantReward);
  }
  // The sim runs in a child process: its CPU would otherwise delay this process's event loop.
  const sim = await spawnSim({ seed: 11, latencyMs: options.latencyMs, rewardLatencyMs: options.rewardLatencyMs });
  try {
    const config = simConfig(sim.url, { ...shape, stream: variant.stream, maxConcurrency: variant.maxConcurrency });
    const { agents, reward } = runParts(config);
    const sim0 = await sim.cpuMicros();
    const row = await measure(variant, options, idealMs, config, agents, reward);
    return { ...row, simCpuMs: ((await sim.cpuMicros()) - sim0) / 1000 };
  } finally {
    await sim.close();
  }
}

async function measure(variant: Variant, options: SchedulerOptions, idealMs: number, config: ToaConfig, agents: ChatAgent[], reward: RewardModel): Promise<SchedulerRow> {
  const rows = promptRows(options.prompts);
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const summary: RunSummary = await runPrompts({ config, rows, agents, reward, signal: new AbortController().signal, onEvent: () => undefined });
  const makespanMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  if (summary.totals.done !== rows.length) throw new Error(`scheduler (${variant.label}): ${summary.totals.failed} prompts failed`);
  const calls = summary.agents.reduce((s, a) => s + a.calls, 0);
  const observedLatencyMs = summary.agents.reduce((s, a) => s + a.medianLatencyMs * a.calls, 0) / calls;
  const { prompts: n, budget: b, concurrency: c } = options;
  const observedIdeal = Math.max(b * observedLatencyMs, (n * b * observedLatencyMs) / c);
  return {
    label: variant.label,
    primary: variant.primary,
    makespanMs,
    idealMs,
    ratio: makespanMs / idealMs,
    observedLatencyMs,
    observedIdealRatio: makespanMs / observedIdeal,
    plays: summary.totals.plays,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    elu,
    busiestAgentShare: Math.max(...summary.agents.map((a) => a.calls)) / calls,
  };
}

export function schedulerTable(result: SchedulerResult, markdown: boolean): string {
  const columns: Column<SchedulerRow>[] = [
    { header: 'variant', value: (r) => (r.primary ? `${r.label} (target row)` : r.label) },
    { header: 'makespan', value: (r) => `${fixed(r.makespanMs / 1000, 2)} s`, align: 'right' },
    { header: 'ideal', value: (r) => `${fixed(r.idealMs / 1000, 2)} s`, align: 'right' },
    { header: 'ratio', value: (r) => ratio(r.ratio), align: 'right' },
    { header: 'median chat latency', value: (r) => `${fixed(r.observedLatencyMs, 1)} ms`, align: 'right' },
    { header: 'ratio at that latency', value: (r) => ratio(r.observedIdealRatio), align: 'right' },
    { header: 'client CPU', value: (r) => `${fixed(r.clientCpuMs / 1000, 1)} s`, align: 'right' },
    { header: 'event loop busy', value: (r) => `${fixed(100 * r.elu, 0)}%`, align: 'right' },
    { header: 'busiest agent', value: (r) => `${fixed(100 * r.busiestAgentShare, 0)}% of calls`, align: 'right' },
    { header: 'sim CPU', value: (r) => (r.simCpuMs === undefined ? '-' : `${fixed(r.simCpuMs / 1000, 1)} s`), align: 'right' },
  ];
  return markdown ? markdownTable(result.rows, columns) : textTable(result.rows, columns);
}
