import { createPooledFetch } from '../../../src/core/http/pooled-fetch';

/** The two HTTP clients the product uses: the extension's (the runtime's fetch) and the CLI's. */
export interface Transport {
  label: string;
  fetch: typeof fetch;
}

export const TRANSPORTS: readonly Transport[] = [
  { label: 'built-in fetch', fetch: globalThis.fetch },
  { label: 'pooled fetch', fetch: createPooledFetch() },
];
