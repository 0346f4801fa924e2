// `npm start`: the main job on the built-in default. Starts the simulated endpoints and a real
// VS Code (code-server on 127.0.0.1) with this extension loaded from the repository and an
// example workspace whose toa.config.json points at the simulator; prints the URL to open.
// Ctrl-C stops both. Installs code-server on first use (see test/harness/tools.ts).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSim } from '../src/sim';
import { ensureTestTools, remoteUri, repoRoot, startCodeServer, workbenchUrl } from '../test/harness';

const workspace = join(repoRoot, '.vscode-test', 'start-workspace');

async function writeWorkspace(simUrl: string): Promise<void> {
  await mkdir(join(workspace, '.vscode'), { recursive: true });
  await copyFile(join(repoRoot, 'examples', 'demo', 'prompts.jsonl'), join(workspace, 'prompts.jsonl'));
  await copyFile(join(repoRoot, 'examples', 'math', 'gsm8k-sample.jsonl'), join(workspace, 'gsm8k-sample.jsonl'));
  // The example config, re-pointed at this session's simulator, outputs under data/.
  const config = JSON.parse(await readFile(join(repoRoot, 'examples', 'demo', 'toa.config.json'), 'utf8')) as Record<string, unknown> & { agents: { baseURL: string }[]; reward: { baseURL: string } };
  config.$schema = join(repoRoot, 'schemas', 'toa-config.schema.json');
  config.agents.forEach((agent) => (agent.baseURL = `${simUrl}/v1`));
  config.reward.baseURL = simUrl;
  config.output = { sft: 'data/sft.jsonl', preference: 'data/preference.jsonl', trace: 'data/traces.jsonl' };
  await writeFile(join(workspace, 'toa.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(join(workspace, '.vscode', 'settings.json'), `${JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern' }, null, 2)}\n`);
}

async function main(): Promise<void> {
  await ensureTestTools();
  const sim = await startSim({ latencyMs: 120, rewardLatencyMs: 10 });
  await writeWorkspace(sim.url);
  const server = await startCodeServer({ workspace, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  const url = workbenchUrl(server, workspace, [['extensionDevelopmentPath', remoteUri(server, repoRoot)]]);
  process.stdout.write(
    `\nTOA Studio is running in VS Code (code-server ${server.port}) with simulated endpoints at ${sim.url}.\n` +
      `Open:\n\n  ${url}\n\nThen open prompts.jsonl, select a few lines and run "TOA Studio: Synthesize Selection" (or click "Synthesize" above a row).\n` +
      'Press Ctrl-C to stop.\n',
  );
  const stop = async (): Promise<void> => {
    await server.stop();
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
