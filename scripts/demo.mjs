// `npm run demo`: the CLI end to end on the example datasets, against the simulated endpoints
// (started here with `toa sim`), writing SFT rows, preference pairs and traces under examples/*/out.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

function toa(args, opts = {}) {
  return spawn(process.execPath, [cli, ...args], { cwd: root, stdio: opts.stdio ?? 'inherit' });
}

async function startSim() {
  const sim = toa(['sim', '--port', '8808', '--latency', '40', '--answers', 'examples/math/gsm8k-sample.jsonl', '--fault-429', '0.03', '--fault-cut', '0.02'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let banner = '';
  for await (const chunk of sim.stdout) {
    banner += chunk;
    if (banner.includes('Ctrl-C')) break;
  }
  if (!banner.includes('Simulated endpoints')) throw new Error('the simulator did not start (is port 8808 in use?)');
  process.stdout.write(banner);
  return sim;
}

async function run(example, input) {
  process.stdout.write(`\n== toa run: examples/${example} ==\n`);
  // A fresh demo each time: old outputs would make the run resume and skip every prompt.
  await rm(join(root, 'examples', example, 'out'), { recursive: true, force: true });
  const child = toa(['run', '--config', `examples/${example}/toa.config.json`, '--input', `examples/${example}/${input}`]);
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`toa run on examples/${example} exited with ${code}`);
}

const sim = await startSim();
try {
  await run('demo', 'prompts.jsonl');
  await run('math', 'gsm8k-sample.jsonl');
  process.stdout.write('\nDone: see examples/demo/out/ and examples/math/out/ (sft.jsonl, preference.jsonl, traces.jsonl).\n');
} finally {
  sim.kill('SIGINT');
  await once(sim, 'exit');
}
