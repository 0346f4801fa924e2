import { markdownTable, textTable, type Column } from '../src/core/util/table';
import { runPrompts, type SearchTree } from '../src/core';
import { fixed, ratio } from './format';
import { playsFromTrees, runBareLoop, type BarePrompt } from './bare-loop';
import { promptRows } from './prompts';
import { runParts, simConfig } from './setup';
import { spawnSim } from './sim-process';
import { median } from './stats';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection before each measured run, so garbage left by the previous run is not billed
// to the next one. (--expose-gc set at run time; the npm script passes no flags.)
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export interface OverheadOptions {
  prompts: number;
  budget: number;
  concurrency: number;
  /** Measured (TOA, bare) pairs, after one warm-up pair. */
  repeats: number;
}

export const OVERHEAD_FULL: OverheadOptions = { prompts: 48, budget: 40, concurrency: 32, repeats: 5 };
export const OVERHEAD_QUICK: OverheadOptions = { prompts: 16, budget: 20, concurrency: 32, repeats: 1 };

interface OverheadSample {
  kind: 'toa' | 'bare';
  repeat: number;
  plays: number;
  cpuMs: number;
  wallMs: number;
  /** The sim child's CPU during the run (not part of the ratio). */
  simCpuMs: number;
}

export interface OverheadResult {
  options: OverheadOptions;
  samples: OverheadSample[];
  toaCpuPerPlayMs: number;
  bareCpuPerPlayMs: number;
  ratio: number;
  /** Per measured pair: TOA / bare CPU per play. */
  pairRatios: number[];
  mismatches: number;
}

const SEED = 7;

/**
 * CPU time of this process per play: a TOA run (runPrompts, defaults: streamed replies, retries,
 * per-agent limits, events to a no-op listener, no output files) against a bare loop making the
 * same calls. The sim runs in a child process, so only the client's CPU is counted. Every run
 * gets a fresh sim with the same seed, so both sides receive byte-identical replies.
 */
export async function overheadBenchmark(options: OverheadOptions, log: (line: string) => void): Promise<OverheadResult> {
  const rows = promptRows(options.prompts);
  const shape = { strategy: 'toa' as const, budget: options.budget, seed: SEED, concurrency: options.concurrency };
  let plan: BarePrompt[] | undefined;
  const samples: OverheadSample[] = [];
  let mismatches = 0;
  for (let repeat = 0; repeat <= options.repeats; repeat++) {
    log(`  overhead: ${repeat === 0 ? 'warm-up' : `pair ${repeat}/${options.repeats}`}`);
    const toa = await measured(async (url) => {
      const config = simConfig(url, shape);
      const trees = new Map<string, SearchTree>();
      const parts = runParts(config);
      const run = async (): Promise<number> => {
        const summary = await runPrompts({ config, rows, ...parts, signal: new AbortController().signal, onEvent: () => undefined, onTree: async (tree, row) => void trees.set(row.id, tree) });
        return summary.totals.plays;
      };
      return { run, after: () => (plan ??= playsFromTrees(config, rows, trees)) };
    });
    const bare = await measured(async (url) => {
      const config = simConfig(url, shape);
      const prompts = plan!;
      return {
        run: async () => {
          const result = await runBareLoop(config, prompts, options.concurrency);
          if (repeat > 0) mismatches += result.mismatches;
          return result.plays;
        },
        after: () => undefined,
      };
    });
    if (repeat > 0) samples.push({ kind: 'toa', repeat, ...toa }, { kind: 'bare', repeat, ...bare });
  }
  const perPlay = (kind: 'toa' | 'bare'): number[] => samples.filter((s) => s.kind === kind).map((s) => s.cpuMs / s.plays);
  const toaCpuPerPlayMs = median(perPlay('toa'));
  const bareCpuPerPlayMs = median(perPlay('bare'));
  const bare = perPlay('bare');
  return {
    options,
    samples,
    toaCpuPerPlayMs,
    bareCpuPerPlayMs,
    ratio: toaCpuPerPlayMs / bareCpuPerPlayMs,
    pairRatios: perPlay('toa').map((t, i) => t / bare[i]!),
    mismatches,
  };
}

/** Starts a fresh sim child, builds the run (not measured), then measures only the run. */
async function measured(prepare: (url: string) => Promise<{ run(): Promise<number>; after(): unknown }>): Promise<Omit<OverheadSample, 'kind' | 'repeat'>> {
  const sim = await spawnSim({ seed: SEED });
  try {
    const { run, after } = await prepare(sim.url);
    collectGarbage();
    const sim0 = await sim.cpuMicros();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const plays = await run();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const simCpuMs = ((await sim.cpuMicros()) - sim0) / 1000;
    after();
    return { plays, cpuMs: (cpu.user + cpu.system) / 1000, wallMs, simCpuMs };
  } finally {
    await sim.close();
  }
}

export function overheadTable(result: OverheadResult, markdown: boolean): string {
  type Row = { label: string; kind: 'toa' | 'bare' };
  const rows: Row[] = [
    { label: 'TOA run (runPrompts)', kind: 'toa' },
    { label: 'bare loop, same calls', kind: 'bare' },
  ];
  const of = (kind: 'toa' | 'bare'): typeof result.samples => result.samples.filter((s) => s.kind === kind);
  const columns: Column<Row>[] = [
    { header: 'client', value: (r) => r.label },
    { header: 'plays per run', value: (r) => of(r.kind)[0]?.plays ?? 0, align: 'right' },
    { header: 'CPU per play (median)', value: (r) => `${fixed(r.kind === 'toa' ? result.toaCpuPerPlayMs : result.bareCpuPerPlayMs, 3)} ms`, align: 'right' },
    { header: 'CPU per play, each run', value: (r) => of(r.kind).map((s) => fixed(s.cpuMs / s.plays, 3)).join(', '), align: 'right' },
    { header: 'wall per run (median)', value: (r) => `${fixed(median(of(r.kind).map((s) => s.wallMs)) / 1000, 2)} s`, align: 'right' },
    { header: 'sim CPU per play (not counted)', value: (r) => `${fixed(median(of(r.kind).map((s) => s.simCpuMs / s.plays)), 3)} ms`, align: 'right' },
  ];
  const table = markdown ? markdownTable(rows, columns) : textTable(rows, columns);
  return `${table}\n\nratio (TOA / bare, medians): ${ratio(result.ratio)}; per pair: ${result.pairRatios.map(ratio).join(', ')}`;
}
