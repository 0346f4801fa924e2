import { startSim, type SimOptions } from '../src/sim';

/** Child process of sim-process.ts: serves the simulated endpoints until told to close. */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimOptions;
  const sim = await startSim({ ...options, port: 0 });
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: usage.user + usage.system });
    } else if (message === 'close') {
      void sim.close().then(() => process.disconnect());
    }
  });
  process.send?.({ type: 'ready', url: sim.url });
}

void main();
