/** Number formatting shared by the tables and the report. */

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** A count with thousands separators, e.g. 37,185. */
export function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(3)}x` : 'n/a';
}

export function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}
