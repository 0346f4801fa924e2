import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap sizing for a batch run. The CLI's live data is small and flat (about 20 MB: code and
 * the prompts in flight), but it allocates fast: every call makes short-lived request and reply
 * objects. With V8's defaults, sized for throughput, the young generation grows to 32 MB and the
 * old generation is let grow to 3-4x the live data between full collections, so a 100,000-row run
 * held about 200 MB of RSS, mostly garbage it had not yet collected. These two settings keep the
 * young generation at its initial size and let the old one grow by half its live data. Both are
 * read by V8 at every collection, so setting them at startup takes effect (unlike the heap limits,
 * which are fixed when the isolate is made); neither limits the heap, so a run with big trees only
 * collects more often, it never runs out of memory. The CPU cost varies from run to run (10-16%
 * more in most earlier runs, 13% and 1% less in the last two benchmarks); bench/memory.ts reports
 * the run with and without them.
 *
 * Someone who sizes the heap themselves (any of USER_HEAP_FLAGS on the command line or in
 * NODE_OPTIONS) gets their settings alone, and TOA_V8_DEFAULTS=1 keeps V8's own defaults.
 */
const BATCH_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'];

/** Flags that size the heap: given any of them, the CLI applies none of its own. */
const USER_HEAP_FLAGS = ['--semi-space-growth-factor', '--heap-growing-percent', '--max-semi-space-size', '--min-semi-space-size', '--max-old-space-size'];

export function tuneHeapForBatch(): void {
  if (process.env.TOA_V8_DEFAULTS) return;
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`.replace(/_/g, '-');
  if (USER_HEAP_FLAGS.some((flag) => given.includes(flag))) return;
  for (const flag of BATCH_HEAP_FLAGS) setFlagsFromString(flag);
}
