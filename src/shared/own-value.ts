/**
 * `record[key]` when `record` holds `key` itself, else undefined. Keys that come from data (a
 * dataset's field names and prompt ids, a server's finish reason, a config's extraBody) may name
 * Object.prototype's members (`constructor`, `toString`, `__proto__`), which a plain lookup would
 * find.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
