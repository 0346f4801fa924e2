import { parse, type ParseError } from 'jsonc-parser';
import { errorText } from '../util/errors';

/**
 * JSON.parse's reason for one JSONL line, in the line's terms, and the 1-based column it names
 * in the string parsed (when it names one). V8 counts from the start of the string it parsed, so
 * on line 4 of a file it says "at position 51 (line 1 column 52)": the "line 1" contradicts the
 * line the problem names. The column is what helps; keep only that. Text after a whole value (a
 * stray `}`, a CSV line's `1,...`) is "after JSON at position 14", without "in JSON": 0-based,
 * where every other message counts columns from 1. "Unexpected end of JSON input" names no
 * position: the value is cut short (`[` alone, a row split over lines), so the column is the
 * line's last character of `text`, the string parsed. Nor do the messages for a token JSON has
 * no place for (see unexpectedToken).
 */
export function jsonLineError(error: unknown, text: string): { message: string; column?: number } {
  const message = errorText(error);
  if (message === END_OF_INPUT) {
    const column = Math.max(1, text.trimEnd().length);
    return { message: `${message}: the line ends at column ${column} before the value does`, column };
  }
  const position = / (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  if (position) {
    const column = Number(position[1]) + 1;
    return { message: `${message.slice(0, position.index)} at column ${column}`, column };
  }
  return unexpectedToken(message, text) ?? { message };
}

const END_OF_INPUT = 'Unexpected end of JSON input';

/**
 * `Unexpected token 'x', "<the text>" is not valid JSON` (the token one UTF-16 unit; a long text
 * quoted in part, `..."<part>"...`), or `"NaN" is not valid JSON`.
 */
const NO_POSITION = /^(?:Unexpected token '([^])', )?(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;

/**
 * V8 quotes the line instead of saying where in it the token is: `Unexpected token 'x', "{"a":
 * x}" is not valid JSON`, or `"NaN" is not valid JSON` when the whole text is one such token.
 * jsonc-parser (the config's parser) finds where the text stops being JSON, and V8's token is
 * the first of its kind from there: in `{"a":tru}` that point is `tru`, and V8 names the `}` it
 * met after it. The line needs no quoting once the column marks it.
 */
function unexpectedToken(message: string, text: string): { message: string; column: number } | undefined {
  const match = NO_POSITION.exec(message);
  const offset = match ? firstSyntaxError(text) : undefined;
  if (offset === undefined) return undefined;
  const named = match![1];
  const at = named === undefined ? -1 : text.indexOf(named, offset);
  const index = at < 0 ? offset : at;
  // From the text: V8 names half of a character outside the BMP (an emoji) as a lone surrogate.
  const token = String.fromCodePoint(text.codePointAt(index)!);
  return { message: `Unexpected token '${token}' at column ${index + 1}`, column: index + 1 };
}

/** The 0-based offset of the first place `text` is not strict JSON; undefined when jsonc-parser finds none. */
function firstSyntaxError(text: string): number | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0]?.offset;
}
