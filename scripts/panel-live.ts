// What the panel costs while a run is live: `node --import tsx scripts/panel-live.ts [options]`.
//
// 1. Runs a real run (the core scheduler, the simulated endpoints over HTTP) into the host's own
//    PanelChannel with real timers and a ready webview, and records every message the channel
//    posts: count and JSON bytes, by message and by event type.
// 2. Unless --no-render: replays those messages, at the times they were sent, into the built
//    webview (dist/webview.js in headless Chromium, as the UI tests open it) following the live
//    prompt on the Prompt tab, and reads the renderer's main-thread time from the DevTools
//    Performance metrics (tasks, script, layout, style) over the replay's wall time.
//
// Not a test: numbers depend on the machine. Compare two builds by running both in one session.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createAgents } from '../src/core/agents';
import { parseConfig } from '../src/core/config';
import { createReward } from '../src/core/rewards';
import { runPrompts } from '../src/core/run';
import { PanelChannel } from '../src/extension/panel/panel-channel';
import type { HostToWebview } from '../src/shared/protocol';
import { startSim } from '../src/sim';
import type { Page } from 'playwright-core';
import { buildWebview, launchBrowser, openPanel, settled, startPanelServer } from '../test/ui/fixtures/panel-page';

interface Sent {
  /** ms since the run started. */
  at: number;
  json: string;
  message: HostToWebview;
}

const { values } = parseArgs({
  options: {
    prompts: { type: 'string', default: '20' },
    budget: { type: 'string', default: '40' },
    latency: { type: 'string', default: '150' },
    seed: { type: 'string', default: '7' },
    /** Runs one after the other with the panel open, as a user runs batch after batch. */
    runs: { type: 'string', default: '2' },
    'no-render': { type: 'boolean', default: false },
    /** Also writes a Chromium trace of the replay to this file (open it in DevTools' Performance tab). */
    trace: { type: 'string' },
    /** Also counts the DOM mutations of the replay by element (slows it: for finding needless re-renders, not for timing). */
    mutations: { type: 'boolean', default: false },
    /** The tab the replay watches: prompt (following the live prompt) or run. */
    tab: { type: 'string', default: 'prompt' },
    /** Writes the recorded messages to this file ... */
    save: { type: 'string' },
    /** ... and replays such a file instead of running: the same input for two builds of the panel. */
    replay: { type: 'string' },
  },
});

async function recordRuns(runs: number, prompts: number, budget: number, latencyMs: number, seed: number): Promise<Sent[]> {
  // As the extension's built-in simulator: every sim model an agent, 4 calls each, a quick reward.
  const sim = await startSim({ latencyMs, rewardLatencyMs: 20, seed });
  try {
    const config = parseConfig({
      agents: sim.models.map((model) => ({ name: model, baseURL: `${sim.url}/v1`, model, maxConcurrency: 4 })),
      reward: { type: 'vllm', baseURL: sim.url, model: sim.rewardModel },
      search: { budget, seed },
    });
    const sent: Sent[] = [];
    const started = Date.now();
    const channel = new PanelChannel();
    channel.attach((message) => sent.push({ at: Date.now() - started, json: JSON.stringify(message), message }));
    channel.receive({ type: 'ready' });
    const onRetry = (): void => undefined;
    for (let run = 0; run < runs; run++) {
      const rows = Array.from({ length: prompts }, (_, i) => ({ id: `p${i + 1}`, messages: [{ role: 'user' as const, content: `Question ${i + 1} of run ${run + 1}: explain how a tree search picks the next model, with an example.` }] }));
      // As the extension's run controller does before each run.
      channel.configure({ autoAcceptAbove: null, outputs: { sft: 'data/sft.jsonl', preference: 'data/preference.jsonl', trace: 'data/traces.jsonl' }, endpoints: 'simulator' });
      await runPrompts({
        config,
        rows,
        agents: createAgents(config.agents, { apiKeyFor: () => undefined, onRetry }),
        reward: createReward(config.reward, { task: config.task.kind, onRetry }),
        signal: new AbortController().signal,
        onEvent: (event) => channel.pushEvent(event),
      });
    }
    // The last batch leaves on the batcher's timer.
    await new Promise((ok) => setTimeout(ok, 200));
    channel.dispose();
    return sent;
  } finally {
    await sim.close();
  }
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function trafficReport(sent: Sent[]): void {
  const byType = new Map<string, { count: number; bytes: number }>();
  const add = (key: string, bytes: number): void => {
    const row = byType.get(key) ?? { count: 0, bytes: 0 };
    row.count += 1;
    row.bytes += bytes;
    byType.set(key, row);
  };
  for (const { json, message } of sent) {
    add(`message ${message.type}`, json.length);
    if (message.type === 'events') for (const event of message.events) add(`  event ${event.type}`, JSON.stringify(event).length);
  }
  const total = sent.reduce((n, s) => n + s.json.length, 0);
  console.log(`host -> webview: ${sent.length} messages, ${kb(total)} (JSON) over ${(sent.at(-1)!.at / 1000).toFixed(1)} s`);
  for (const [key, row] of [...byType].sort((a, b) => b[1].bytes - a[1].bytes)) {
    console.log(`  ${key.padEnd(28)} ${String(row.count).padStart(6)}  ${kb(row.bytes).padStart(12)}  ${((100 * row.bytes) / total).toFixed(1).padStart(5)}%`);
  }
}

interface RenderCost {
  wallMs: number;
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  /** Layouts and style recalculations (a frame that changed nothing does neither). */
  layouts: number;
  styles: number;
}

/** Replays the messages into the built panel at their recorded times, on the Prompt tab following the live prompt (or --tab run). */
async function renderCost(sent: Sent[]): Promise<RenderCost> {
  buildWebview();
  const browser = await launchBrowser();
  const server = await startPanelServer();
  try {
    const panel = await openPanel(browser, server, { state: { tab: values.tab, follow: true } });
    const page = panel.page;
    await page.evaluate((staged) => {
      (window as unknown as { __staged: unknown }).__staged = staged;
    }, sent.map((s) => ({ at: s.at, json: s.json })));
    await settled(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Record<string, number>> => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metrics();
    if (values.mutations) await countMutations(page);
    if (values.trace) await browser.startTracing(page, { path: values.trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const wallMs = await page.evaluate(async () => {
      const staged = (window as unknown as { __staged: { at: number; json: string }[] }).__staged;
      const started = performance.now();
      for (const { at, json } of staged) {
        const wait = at - (performance.now() - started);
        if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
        // Parsed here: VS Code hands the page a deserialized copy, which the page pays for.
        window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(json) as unknown }));
      }
      await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
      return performance.now() - started;
    });
    const after = await metrics();
    if (values.trace) await browser.stopTracing();
    const delta = (name: string): number => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
    if (values.mutations) await printMutations(page);
    const drawn = await page.locator('toa-tree g[data-id]').count();
    const problems = await panel.problems();
    if (problems.length) console.log(`panel problems: ${problems.join('; ')}`);
    console.log(`panel at the end: ${drawn} tree nodes drawn`);
    return { wallMs, taskMs: delta('TaskDuration'), scriptMs: delta('ScriptDuration'), layoutMs: delta('LayoutDuration'), styleMs: delta('RecalcStyleDuration'), layouts: delta('LayoutCount') / 1000, styles: delta('RecalcStyleCount') / 1000 };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Counts mutations by kind and element (tag.class, three levels up) from now on. */
async function countMutations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const counts: Record<string, number> = {};
    (window as unknown as { __mutations: unknown }).__mutations = counts;
    const name = (e: Element): string => e.tagName.toLowerCase() + [...e.classList].slice(0, 2).map((c) => `.${c}`).join('');
    const where = (node: Node): string => {
      const path: string[] = [];
      for (let e = node instanceof Element ? node : node.parentElement; e && path.length < 3; e = e.parentElement) path.unshift(name(e));
      return path.join(' > ');
    };
    new MutationObserver((records) => {
      for (const r of records) {
        const key = `${r.type}${r.attributeName ? ` ${r.attributeName}` : ''}: ${where(r.target)}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

async function printMutations(page: Page): Promise<void> {
  const counts = await page.evaluate(() => (window as unknown as { __mutations: Record<string, number> }).__mutations);
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  console.log(`DOM mutations: ${rows.reduce((n, [, c]) => n + c, 0)}, the most frequent:`);
  for (const [key, count] of rows.slice(0, 25)) console.log(`  ${String(count).padStart(7)}  ${key}`);
}

async function main(): Promise<void> {
  const [runs, prompts, budget, latency, seed] = [values.runs, values.prompts, values.budget, values.latency, values.seed].map(Number) as [number, number, number, number, number];
  if (!values.replay) console.log(`${runs} run(s) of ${prompts} prompts, budget ${budget}, simulated endpoints (${latency} ms per completion), seed ${seed}`);
  const sent = values.replay ? (JSON.parse(readFileSync(values.replay, 'utf8')) as Sent[]) : await recordRuns(runs, prompts, budget, latency, seed);
  if (values.save) writeFileSync(values.save, JSON.stringify(sent));
  trafficReport(sent);
  if (values['no-render']) return;
  const cost = await renderCost(sent);
  const pct = (ms: number): string => `${((100 * ms) / cost.wallMs).toFixed(1)}%`;
  console.log(`renderer main thread over ${(cost.wallMs / 1000).toFixed(1)} s of replay (${cost.layouts} layouts, ${cost.styles} style recalcs):`);
  console.log(`  tasks  ${cost.taskMs.toFixed(0).padStart(7)} ms  ${pct(cost.taskMs)}`);
  console.log(`  script ${cost.scriptMs.toFixed(0).padStart(7)} ms  ${pct(cost.scriptMs)}`);
  console.log(`  layout ${cost.layoutMs.toFixed(0).padStart(7)} ms  ${pct(cost.layoutMs)}`);
  console.log(`  style  ${cost.styleMs.toFixed(0).padStart(7)} ms  ${pct(cost.styleMs)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
