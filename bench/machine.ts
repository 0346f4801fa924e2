import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

/** What the numbers were measured on. */
export interface MachineFacts {
  cpuCount: number;
  availableParallelism: number;
  cpuModel: string;
  node: string;
  os: string;
  totalMemoryBytes: number;
  date: string;
  commit: string;
  /** 1-minute load average when the run started (other processes compete for the CPU). */
  loadAtStart: number;
}

export function machineFacts(): MachineFacts {
  return {
    cpuCount: cpus().length,
    availableParallelism: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${platform()} ${release()}`,
    totalMemoryBytes: totalmem(),
    date: new Date().toISOString(),
    commit: gitCommit(),
    loadAtStart: loadavg()[0] ?? Number.NaN,
  };
}

export function currentLoad(): number {
  return loadavg()[0] ?? Number.NaN;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} (src/ has uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}
