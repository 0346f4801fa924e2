import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { markdownTable, textTable, type Column } from '../src/core/util/table';
import { fileLines } from '../src/core/dataset/file-lines';
import { startSim } from '../src/sim';
import { fixed, mb } from './format';
import { PROMPTS } from './prompts';
import { simConfig } from './setup';

export interface MemoryOptions {
  rows: number;
  budget: number;
  strategy: 'best-of-n' | 'toa';
}

export const MEMORY_FULL: MemoryOptions = { rows: 100_000, budget: 1, strategy: 'best-of-n' };
export const MEMORY_QUICK: MemoryOptions = { ...MEMORY_FULL, rows: 10_000 };

interface RssSample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

/** What one CLI process used, read back from the probe. */
interface CliRun {
  peakRssBytes: number;
  /** RSS when the probe first ran (Node started, before the CLI loaded). */
  startRssBytes: number;
  /** RSS at 25%, 50%, 75% and 100% of the run's time: flat means memory does not grow with rows. */
  rssAtQuarters: number[];
  peakHeapUsedBytes: number;
  /** Largest heap V8 had reserved (heapTotal). */
  peakHeapTotalBytes: number;
  /**
   * Lowest heap in use within each quarter of the run: the live data right after a collection.
   * Rising floors mean the run keeps something per row; flat ones mean it does not.
   */
  heapFloorByQuarter: number[];
  elapsedMs: number;
  /** User + system CPU of the CLI process. */
  cpuMs: number;
  outputs: { sft: number; preference: number; trace: number };
  exitCode: number;
  /** MaxListenersExceededWarning lines the CLI printed. */
  warnings: number;
  stderrTail: string;
}

export interface MemoryResult extends CliRun {
  options: MemoryOptions;
  inputBytes: number;
  /** The same run with V8's default heap sizing (TOA_V8_DEFAULTS=1): what src/cli/heap.ts saves and costs. */
  v8Defaults: CliRun;
}

/**
 * Streams a generated JSONL file through the real CLI (`node dist/cli.js run`, the bundle
 * `npm run bench` builds first) in a child process, so its peak RSS is that run's alone; then
 * again with V8's default heap sizing. The sim serves from this process. The CLI writes its
 * three outputs (fsync'd appends) into the temp folder; the folder is removed afterwards.
 */
export async function memoryBenchmark(options: MemoryOptions, log: (line: string) => void): Promise<MemoryResult> {
  const cli = join(REPO_ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('memory: dist/cli.js is missing; run `npm run build` (npm run bench does)');
  const dir = await mkdtemp(join(tmpdir(), 'toa-bench-memory-'));
  const sim = await startSim({ seed: 5 });
  try {
    const input = join(dir, 'input.jsonl');
    const inputBytes = await writeInput(input, options.rows);
    // Budget 1 sends every play to the first agent: lift its per-agent limit (default 8) so the
    // run keeps run.concurrency (32) plays in flight, as a run spread over the agents would.
    const config = simConfig(sim.url, { strategy: options.strategy, budget: options.budget, seed: 5, maxConcurrency: 32 });
    const configFile = join(dir, 'toa.config.json');
    await writeFile(configFile, JSON.stringify({ ...config, output: OUTPUT_FILES }, null, 2));
    const run = (label: string, env: NodeJS.ProcessEnv): Promise<CliRun> => {
      log(`  memory: ${options.rows} rows (${mb(inputBytes)}) through toa run, ${options.strategy} budget ${options.budget}, ${label}`);
      return measureCliRun(cli, ['run', '--config', configFile, '--input', input, '--quiet', '--fresh'], join(dir, label), env);
    };
    const product = await run('product', {});
    const v8Defaults = await run('v8-defaults', { TOA_V8_DEFAULTS: '1' });
    return { options, inputBytes, ...product, v8Defaults };
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The outputs' file names, relative to the run's --out-dir. */
const OUTPUT_FILES = { sft: 'sft.jsonl', preference: 'preference.jsonl', trace: 'traces.jsonl' };

/** One CLI process, its outputs in `outDir` and the probe's readings beside it. */
async function measureCliRun(cli: string, args: string[], outDir: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const probeOut = `${outDir}.rss.json`;
  const child = spawn(process.execPath, ['--import', join(REPO_ROOT, 'bench', 'rss-probe.mjs'), cli, ...args, '--out-dir', outDir], {
    env: { ...process.env, ...env, TOA_BENCH_RSS_OUT: probeOut },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let warnings = 0;
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    warnings += chunk.match(/MaxListenersExceededWarning/g)?.length ?? 0;
    stderrTail = (stderrTail + chunk).slice(-2000);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const probe = JSON.parse(await readFile(probeOut, 'utf8')) as { maxRssKb: number; elapsedMs: number; cpuMs: number; samples: RssSample[] };
  const outputs = {
    sft: await countLines(join(outDir, OUTPUT_FILES.sft)),
    preference: await countLines(join(outDir, OUTPUT_FILES.preference)),
    trace: await countLines(join(outDir, OUTPUT_FILES.trace)),
  };
  const { samples } = probe;
  const at = (f: number): number => samples.reduce((best, s) => (Math.abs(s.t - f * probe.elapsedMs) < Math.abs(best.t - f * probe.elapsedMs) ? s : best)).rss;
  return {
    peakRssBytes: probe.maxRssKb * 1024,
    startRssBytes: samples[0]?.rss ?? Number.NaN,
    rssAtQuarters: [0.25, 0.5, 0.75, 1].map(at),
    peakHeapUsedBytes: Math.max(...samples.map((s) => s.heapUsed)),
    peakHeapTotalBytes: Math.max(...samples.map((s) => s.heapTotal)),
    heapFloorByQuarter: [0, 1, 2, 3].map((q) => Math.min(...samples.filter((s) => s.t >= (q * probe.elapsedMs) / 4 && s.t <= ((q + 1) * probe.elapsedMs) / 4).map((s) => s.heapUsed))),
    elapsedMs: probe.elapsedMs,
    cpuMs: probe.cpuMs,
    outputs,
    exitCode: code ?? -1,
    warnings,
    stderrTail,
  };
}

/** One prompt per row, cycling through the benchmark prompts with a row number appended. */
async function writeInput(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const line = `${JSON.stringify({ id: `row-${i}`, prompt: `${PROMPTS[i % PROMPTS.length]} (request ${i})` })}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

async function countLines(file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  let n = 0;
  for await (const line of fileLines(file)) if (line) n++;
  return n;
}

export function memoryTable(result: MemoryResult, markdown: boolean): string {
  type Row = { measure: string; value: string };
  const rows: Row[] = [
    { measure: 'input', value: `${result.options.rows} rows, ${mb(result.inputBytes)}` },
    { measure: 'run', value: `toa run (dist/cli.js), ${result.options.strategy}, budget ${result.options.budget}, exit code ${result.exitCode}` },
    { measure: 'peak RSS (maxRSS)', value: mb(result.peakRssBytes) },
    { measure: 'RSS at start (Node only)', value: mb(result.startRssBytes) },
    { measure: 'RSS at 25/50/75/100% of the run', value: result.rssAtQuarters.map(mb).join(', ') },
    { measure: 'peak heap reserved (heapTotal) / used', value: `${mb(result.peakHeapTotalBytes)} / ${mb(result.peakHeapUsedBytes)}` },
    { measure: 'lowest heap used in each quarter of the run', value: result.heapFloorByQuarter.map(mb).join(', ') },
    { measure: 'wall time / CPU time', value: `${fixed(result.elapsedMs / 1000, 1)} s (${fixed(result.options.rows / (result.elapsedMs / 1000), 0)} rows/s) / ${fixed(result.cpuMs / 1000, 1)} s` },
    { measure: 'rows written (sft / preference / trace)', value: `${result.outputs.sft} / ${result.outputs.preference} / ${result.outputs.trace}` },
    { measure: "same run with V8's default heap sizing: peak RSS", value: mb(result.v8Defaults.peakRssBytes) },
    { measure: "same run with V8's default heap sizing: heapTotal, wall / CPU time", value: `${mb(result.v8Defaults.peakHeapTotalBytes)}, ${fixed(result.v8Defaults.elapsedMs / 1000, 1)} s / ${fixed(result.v8Defaults.cpuMs / 1000, 1)} s` },
  ];
  const columns: Column<Row>[] = [
    { header: 'measure', value: (r) => r.measure },
    { header: 'value', value: (r) => r.value, align: 'right' },
  ];
  return markdown ? markdownTable(rows, columns) : textTable(rows, columns);
}
