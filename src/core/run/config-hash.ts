import { createHash } from 'node:crypto';
import type { ToaConfig } from '../config/schema';

/**
 * A short fingerprint of the settings that shape results (agents, reward, search, task, input),
 * stamped on trace rows so data made under different settings can be told apart. Key order does
 * not matter; `$schema` and output paths are left out, as they change no result. The config holds
 * env-variable names, never keys, so nothing secret goes into the hash.
 */
export function configHash(config: ToaConfig): string {
  const { agents, reward, search, task, input } = config;
  return createHash('sha256').update(stableJson({ agents, reward, search, task, input })).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
