// Run by heap.test.ts in a child process: applies the CLI's heap settings, allocates the way a
// run does (mostly short-lived objects, some kept a while), and prints the young generation's size.
import { getHeapSpaceStatistics } from 'node:v8';
import { tuneHeapForBatch } from '../../../src/cli/heap';

tuneHeapForBatch();
const kept: unknown[] = [];
for (let i = 0; i < 2_000_000; i++) {
  const item = { i, text: `x${i}`, pair: [i, i] };
  if (i % 10 === 0) kept.push(item);
  if (kept.length > 20_000) kept.splice(0, 10_000);
}
process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size));
