import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { benchEntry } from './paths';
import type { SimCounters, SimOptions } from '../src/sim';

/**
 * The simulated endpoints in a child process, so their CPU time and memory are not the
 * measured process's. The child (sim-child.ts) starts `startSim` with the options given and
 * reports its URL over IPC.
 */
export interface SimProcess {
  url: string;
  /** The sim's own CPU time so far (user + system, microseconds), as the child measures it. */
  cpuMicros(): Promise<number>;
  counters(): Promise<SimCounters>;
  /** Hidden quality of a response, through GET /sim/quality. */
  quality(text: string): Promise<number | undefined>;
  close(): Promise<void>;
}

type ChildMessage = { type: 'ready'; url: string } | { type: 'cpu'; micros: number };

export async function spawnSim(options: Omit<SimOptions, 'port'>): Promise<SimProcess> {
  const entry = benchEntry('sim-child');
  const child = fork(entry.path, [JSON.stringify(options)], {
    execArgv: entry.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child);
  if (ready.type !== 'ready') throw new Error('sim child: expected its URL first');
  const { url } = ready;
  return {
    url,
    async cpuMicros() {
      const reply = nextMessage(child);
      child.send('cpu');
      const message = await reply;
      if (message.type !== 'cpu') throw new Error('sim child: expected a CPU reading');
      return message.micros;
    },
    async counters() {
      return (await (await fetch(`${url}/sim/counters`)).json()) as SimCounters;
    },
    async quality(text) {
      const reply = (await (await fetch(`${url}/sim/quality?text=${encodeURIComponent(text)}`)).json()) as { quality: number | null };
      return reply.quality ?? undefined;
    },
    async close() {
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}

function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`sim child exited (${code}) before answering`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}
