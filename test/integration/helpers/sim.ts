import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSim, type SimCounters, type SimOptions, type SimServer } from '../../../src/sim';

/**
 * The simulated endpoints (src/sim), started by a test inside the extension host so it can watch
 * what the extension sends: request counters, and with `recordHeaders` the headers of every
 * request (a small proxy in front of the sim records them).
 */
export interface TestSim {
  /** Where toa.config.json points: agents at `${url}/v1`, the reward model at `url`. */
  url: string;
  sim: SimServer;
  /** GET /sim/counters, as any client would see them. */
  counters(): Promise<SimCounters>;
  /** Headers of each request that reached the proxy (only with `recordHeaders`). */
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startTestSim(options: SimOptions & { recordHeaders?: boolean } = {}): Promise<TestSim> {
  const { recordHeaders, ...simOptions } = options;
  const sim = await startSim(simOptions);
  const headers: IncomingHttpHeaders[] = [];
  const proxy = recordHeaders ? await startRecordingProxy(sim.port, headers) : undefined;
  return {
    url: proxy?.url ?? sim.url,
    sim,
    counters: async () => (await (await fetch(`${sim.url}/sim/counters`)).json()) as SimCounters,
    headers,
    close: async () => {
      await proxy?.close();
      await sim.close();
    },
  };
}

/** Forwards every request to 127.0.0.1:`port` as it is, after noting its headers. */
async function startRecordingProxy(port: number, seen: IncomingHttpHeaders[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    seen.push({ ...req.headers });
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    // A client that goes away (cancel) takes the upstream request with it.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${own}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
