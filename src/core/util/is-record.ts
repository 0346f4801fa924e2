/** A JSON object: not null, not an array (both of which `typeof` calls 'object'). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
