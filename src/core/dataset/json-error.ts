import { errorText } from '../util/errors';

/**
 * JSON.parse's reason for one JSONL line, in the line's terms, and the 1-based column it names
 * in the string parsed (when it names one). V8 counts from the start of the string it parsed, so
 * on line 4 of a file it says "at position 51 (line 1 column 52)": the "line 1" contradicts the
 * line the problem names. The column is what helps; keep only that. Text after a whole value (a
 * stray `}`, a CSV line's `1,...`) is "after JSON at position 14", without "in JSON": 0-based,
 * where every other message counts columns from 1. "Unexpected end of JSON input" names no
 * position: the value is cut short (`[` alone, a row split over lines), so the column is the
 * line's last character of `text`, the string parsed.
 */
export function jsonLineError(error: unknown, text: string): { message: string; column?: number } {
  const message = errorText(error);
  if (message === END_OF_INPUT) {
    const column = Math.max(1, text.trimEnd().length);
    return { message: `${message}: the line ends at column ${column} before the value does`, column };
  }
  const position = / (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  if (!position) return { message };
  const column = Number(position[1]) + 1;
  return { message: `${message.slice(0, position.index)} at column ${column}`, column };
}

const END_OF_INPUT = 'Unexpected end of JSON input';
