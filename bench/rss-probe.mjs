// Preloaded (node --import) into the process whose memory the memory benchmark measures: samples
// RSS and heap every 250 ms and, at exit, writes them with the peak RSS (resourceUsage().maxRSS,
// kilobytes) as JSON to the file named by TOA_BENCH_RSS_OUT.
import { writeFileSync } from 'node:fs';

const out = process.env.TOA_BENCH_RSS_OUT;
if (out) {
  const started = performance.now();
  const samples = [];
  const sample = () => {
    const m = process.memoryUsage();
    samples.push({ t: Math.round(performance.now() - started), rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external });
  };
  sample();
  setInterval(sample, 250).unref();
  process.on('exit', (code) => {
    sample();
    const usage = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ code, maxRssKb: usage.maxRSS, elapsedMs: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, samples }));
  });
}
