import type { RunOutcome } from '../src/shared/protocol';

/** Number formatting shared by the panel's tables, tree labels and charts. */

/** '–' for no reward (undefined, or null as a comparison's strategy without a finished prompt has). */
export function fmtReward(value: number | null | undefined): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 3);
}

export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 1234 -> "1.2k", 2500000 -> "2.5M". */
export function fmtCompact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(abs >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(value));
}

export function fmtCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function fmtPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** How a run ended, in the header and in what the panel announces. */
export const OUTCOME_LABEL: Record<RunOutcome, string> = { finished: 'Finished', cancelled: 'Cancelled', stopped: 'Stopped by an error', interrupted: 'Interrupted' };
