import * as vscode from 'vscode';
import { parseConfig, type ToaConfig } from '../core/config';
import { startSim, type SimServer } from '../sim';

/** Reward calls of the built-in simulator are quick, as a local reward model's would be. */
const REWARD_LATENCY_MS = 20;
/** The zero-setup default budget: enough for a visible tree, quick enough to try at once. */
const DEMO_BUDGET = 16;

/**
 * The built-in offline endpoints: the simulator (src/sim) on 127.0.0.1 inside the extension
 * host, started on first use and closed with the extension.
 */
export class BuiltinSimulator implements vscode.Disposable {
  private running: { latencyMs: number; server: Promise<SimServer> } | undefined;

  /** The running simulator; restarted when the latency setting changed. */
  async server(latencyMs: number): Promise<SimServer> {
    if (this.running?.latencyMs !== latencyMs) {
      const previous = this.running?.server;
      this.running = { latencyMs, server: startSim({ latencyMs, rewardLatencyMs: REWARD_LATENCY_MS }) };
      await previous?.then((s) => s.close()).catch(() => undefined);
    }
    return this.running.server;
  }

  dispose(): void {
    void this.running?.server.then((s) => s.close()).catch(() => undefined);
    this.running = undefined;
  }
}

/**
 * A run config whose agents and reward model are the simulator's. The rest (search, task,
 * input, output) comes from `base` (the workspace's config) when there is one.
 */
export function simulatorConfig(sim: SimServer, base?: ToaConfig): ToaConfig {
  const models = sim.models;
  const search = base ? { ...base.search, agent: base.search.agent && models.includes(base.search.agent) ? base.search.agent : undefined } : { budget: DEMO_BUDGET };
  return parseConfig({
    agents: models.map((model) => ({ name: model, baseURL: `${sim.url}/v1`, model, maxConcurrency: 4 })),
    reward: { type: 'vllm', baseURL: sim.url, model: sim.rewardModel },
    search,
    ...(base ? { task: base.task, input: base.input, output: base.output, run: base.run } : {}),
  });
}
