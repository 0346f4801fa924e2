import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { parseArgs } from 'node:util';
import { currentLoad, machineFacts } from './machine';
import { memoryBenchmark, MEMORY_FULL, MEMORY_QUICK, memoryTable } from './memory';
import { overheadBenchmark, OVERHEAD_FULL, OVERHEAD_QUICK, overheadTable } from './overhead';
import { QUALITY_FULL, QUALITY_QUICK, oracleTable, qualityBenchmark, qualityTable, tokensTable, verdictTable } from './quality';
import { summaryRows, writeReport, type BenchResults } from './report';
import { SCHEDULER_FULL, SCHEDULER_QUICK, schedulerBenchmark, schedulerTable } from './scheduler';
import { maxListenerWarningCount, quietMaxListenerWarnings } from './warnings';
import { textTable } from '../src/core/util/table';
import { verdict } from './format';

const BENCHMARKS = ['quality', 'scheduler', 'overhead', 'memory'] as const;
type BenchName = (typeof BENCHMARKS)[number];

/** Where each run leaves its raw results, for --report-from. */
const RAW_RESULTS = join(tmpdir(), 'toa-bench-results.json');

const USAGE = `npm run bench [-- options]
  --only <names>   comma-separated subset of: ${BENCHMARKS.join(', ')}
  --quick          smaller workloads (a smoke test; numbers are not the reference ones)
  --docs           write docs/ even for a subset or a quick run (a full run always writes them)
  --no-docs        do not write docs/
  --report-from <file>
                   only re-write docs/ from the raw results a run saved (each run saves them to
                   ${RAW_RESULTS}), e.g. after changing the report's wording
  --help`;

/** Tables and results go to stdout; progress goes to stderr, so `> file` keeps the tables alone. */
const print = (text: string): void => void process.stdout.write(`${text}\n`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * Each benchmark: runs its full or quick workload, keeps the result in `results`, and prints its
 * tables.
 */
const BENCHES: Record<BenchName, (quick: boolean, results: BenchResults) => Promise<void>> = {
  quality: async (quick, results) => {
    const q = (results.quality = await qualityBenchmark(quick ? QUALITY_QUICK : QUALITY_FULL, log));
    print('== 1. Quality per compute: mean true quality of the selected answer (± 95% CI over seeds)');
    print(`${qualityTable(q, false)}\n\n${verdictTable(q, false)}\n\n${oracleTable(q, false)}\n`);
    print(`Tokens per prompt (prompt + completion):\n${tokensTable(q, false)}\n`);
  },
  scheduler: async (quick, results) => {
    const s = (results.scheduler = await schedulerBenchmark(quick ? SCHEDULER_QUICK : SCHEDULER_FULL, log));
    const o = s.options;
    print(`== 2. Scheduler efficiency: TOA, ${o.prompts} prompts, budget ${o.budget}, L = ${o.latencyMs} ms, concurrency ${o.concurrency}`);
    print(`${schedulerTable(s, false)}\n`);
  },
  overhead: async (quick, results) => {
    const o = (results.overhead = await overheadBenchmark(quick ? OVERHEAD_QUICK : OVERHEAD_FULL, log));
    print(`== 3. Overhead: client CPU per play, TOA run vs bare loop (${o.options.prompts} prompts, budget ${o.options.budget})`);
    print(`${overheadTable(o, false)}\n`);
  },
  memory: async (quick, results) => {
    const m = (results.memory = await memoryBenchmark(quick ? MEMORY_QUICK : MEMORY_FULL, log));
    print(`== 4. Memory: ${m.options.rows} rows through toa run`);
    print(memoryTable(m, false));
    if (m.exitCode !== 0) print(`toa run exited with ${m.exitCode}:\n${m.stderrTail}`);
    print('');
  },
};

const OPTIONS = {
  only: { type: 'string' },
  quick: { type: 'boolean', default: false },
  docs: { type: 'boolean' },
  'no-docs': { type: 'boolean', default: false },
  'report-from': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

const DOCS_DIR = join(REPO_ROOT, 'docs');

/**
 * `npm run bench`: the four benchmarks in turn, each printing its table, then docs/benchmarks.md
 * and docs/bench-quality.svg from the same run.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: OPTIONS });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values['report-from']) return reportFrom(values['report-from']);
  const selected = values.only ? values.only.split(',').map((s) => s.trim()) : [...BENCHMARKS];
  const unknown = selected.filter((s) => !BENCHMARKS.includes(s as BenchName));
  if (unknown.length) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const quick = values.quick;
  const full = !quick && selected.length === BENCHMARKS.length;
  quietMaxListenerWarnings();
  const results = await runSelected(BENCHMARKS.filter((name) => selected.includes(name)), quick);
  await finish(results, !values['no-docs'] && (values.docs ?? full));
  return 0;
}

/** Only re-writes docs/ from the raw results a run saved. */
async function reportFrom(file: string): Promise<number> {
  const saved = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  const written = await writeReport(saved, DOCS_DIR);
  process.stdout.write(`wrote ${written.join(', ')} from the run of ${saved.machine.date}\n`);
  return 0;
}

/** The benchmarks named, in turn, each timed with the machine's load before and after. */
async function runSelected(names: readonly BenchName[], quick: boolean): Promise<BenchResults> {
  const machine = machineFacts();
  print(`TOA Studio benchmarks${quick ? ' (quick)' : ''}: ${machine.cpuCount} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.date}, load ${machine.loadAtStart.toFixed(2)}\n`);
  const results: BenchResults = { machine, quick, timings: {}, totalMs: 0, warnings: 0 };
  const started = performance.now();
  for (const name of names) {
    const loadBefore = currentLoad();
    const t0 = performance.now();
    log(`${name}...`);
    await BENCHES[name](quick, results);
    results.timings[name] = { ms: performance.now() - t0, loadBefore, loadAfter: currentLoad() };
    log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  results.totalMs = performance.now() - started;
  results.warnings = maxListenerWarningCount() + (results.quality?.warnings ?? 0);
  return results;
}

/** The summary table, the raw results saved for --report-from, and docs/ when asked for. */
async function finish(results: BenchResults, writeDocs: boolean): Promise<void> {
  print('== Summary');
  print(textTable(summaryRows(results), [
    { header: 'benchmark', value: (s) => s.benchmark },
    { header: 'target', value: (s) => s.target },
    { header: 'measured', value: (s) => s.measured },
    { header: 'result', value: (s) => verdict(s.met) },
  ]));
  print(`\ntotal ${(results.totalMs / 60_000).toFixed(1)} min`);
  await writeFile(RAW_RESULTS, JSON.stringify(results));
  if (!writeDocs) return;
  const written = await writeReport(results, DOCS_DIR);
  print(`wrote ${written.map((p) => p.replace(`${REPO_ROOT}/`, '')).join(', ')}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
