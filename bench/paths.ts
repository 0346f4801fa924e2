import { join } from 'node:path';

/**
 * `npm run bench` runs the benchmarks from a bundle (out/bench, see scripts/build.mjs --bench)
 * built as dist/cli.js is, so they time the code the product ships. Run from their sources
 * through tsx they still work, but tsx compiles with esbuild's keepNames: every function and
 * class created at run time goes through a `__name` call, in a CPU profile about 10 µs per play on TOA's path
 * that no shipped bundle has.
 */
const bundled = __filename.endsWith('.js');

/** The repository's root, from bench/ or from out/bench/. */
export const REPO_ROOT = join(__dirname, bundled ? '../..' : '..');

/** A process of the benchmarks' own (the sim child, a quality worker): its entry file and node flags. */
export function benchEntry(name: 'sim-child' | 'quality-worker'): { path: string; execArgv: string[] } {
  if (bundled) return { path: join(__dirname, `${name}.js`), execArgv: [] };
  return { path: join(__dirname, `${name}.ts`), execArgv: ['--import', 'tsx'] };
}
