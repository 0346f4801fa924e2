import { errorText } from '../util/errors';

/**
 * JSON.parse's reason for one JSONL line, in the line's terms. V8 counts from the start of the
 * string it parsed, so on line 4 of a file it says "at position 51 (line 1 column 52)": the
 * "line 1" contradicts the line the problem names. The column is what helps; keep only that.
 * Text after a whole value (a stray `}`, a CSV line's `1,...`) is "after JSON at position 14",
 * without "in JSON": 0-based, where every other message counts columns from 1.
 */
export function jsonLineError(error: unknown): string {
  const message = errorText(error);
  return message.replace(/ (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/, (_, position: string) => ` at column ${Number(position) + 1}`);
}
