/**
 * The start of a text for an error message: one line (each run of white space one space, none at
 * either end), at most `max` characters and "…" if there was more. Only as much of the text is
 * read as is kept: callers pass whole server bodies, and flattening a megabyte of short lines
 * into one to keep its first 120 characters held the event loop for hundreds of ms.
 */
export function clip(text: string, max = 120): string {
  const kept = new Clipped(max);
  kept.add(text);
  return kept.text();
}

/** `clip`, quoted, so empty or odd output is visible as such. */
export function excerpt(text: string, max = 120): string {
  return JSON.stringify(clip(text, max));
}

/**
 * The start of a JSON value as JSON (not quoted again: `{"data":[]}`, not `"{\\"data\\":[]}"`),
 * as `clip` says it. The value is written piece by piece, and only until the excerpt is full:
 * a reply of megabytes is not serialized whole to quote its first 300 characters.
 */
export function jsonExcerpt(value: unknown, max = 120): string {
  const kept = new Clipped(max);
  const json = jsonValue(value, '');
  if (json === undefined) kept.add('undefined');
  else write(json, kept, []);
  return kept.text();
}

/**
 * `clip` of a text given in pieces, read until more than `max` characters are kept. A run of
 * white space may span pieces, so a space is owed until the next word comes (and at the end,
 * never comes: that trims it). Words are read at most `max + 1` characters at a time, so that a
 * long one is not copied whole either.
 */
class Clipped {
  private kept = '';
  private space = false;
  private readonly token: RegExp;

  private readonly max: number;

  /** `max` as a count of characters: a fraction is cut down, and below 0 (or NaN) is 0. */
  constructor(max: number) {
    this.max = max >= 0 ? Math.floor(max) : 0;
    this.token = new RegExp(`\\s+|\\S{1,${this.max + 1}}`, 'y');
  }

  /** Reads a piece; true once the excerpt is full, when nothing more is read. */
  add(piece: string): boolean {
    if (this.full()) return true;
    this.token.lastIndex = 0;
    for (let match = this.token.exec(piece); match; match = this.token.exec(piece)) {
      const [run] = match;
      if (/^\s/.test(run)) this.space = this.kept !== '';
      else {
        this.kept += this.space ? ` ${run}` : run;
        this.space = false;
        if (this.full()) return true;
      }
    }
    return false;
  }

  text(): string {
    return this.full() ? `${this.kept.slice(0, this.max)}…` : this.kept;
  }

  private full(): boolean {
    return this.kept.length > this.max;
  }
}

/** Strings are written this many characters at a time (a reply's text may be megabytes). */
const STRING_PIECE = 1024;

/** What JSON.stringify writes for a member: after toJSON, unboxed; undefined when it skips it. */
function jsonValue(value: unknown, key: string): unknown {
  let json = value;
  if ((typeof json === 'object' && json !== null) || typeof json === 'bigint') {
    const toJSON: unknown = (json as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') json = (toJSON as (key: string) => unknown).call(json, key);
  }
  if (json instanceof Number) json = Number(json);
  else if (json instanceof String) json = String(json);
  else if (json instanceof Boolean || json instanceof BigInt) json = json.valueOf();
  return json === undefined || typeof json === 'function' || typeof json === 'symbol' ? undefined : json;
}

/**
 * Writes JSON.stringify's text of a value (after jsonValue) into `kept`, and stops once it is
 * full: true then. Errors (a BigInt, a cycle) are JSON.stringify's when the writing reaches them.
 * `open` holds the arrays and objects being written, to find a cycle.
 */
function write(json: unknown, kept: Clipped, open: object[]): boolean {
  if (typeof json === 'string') return writeString(json, kept);
  if (typeof json !== 'object' || json === null) return kept.add(JSON.stringify(json));
  if (open.includes(json)) throw new TypeError('Converting circular structure to JSON');
  open.push(json);
  const full = Array.isArray(json) ? writeArray(json, kept, open) : writeObject(json, kept, open);
  open.pop();
  return full;
}

function writeArray(array: readonly unknown[], kept: Clipped, open: object[]): boolean {
  if (kept.add('[')) return true;
  for (let at = 0; at < array.length; at++) {
    if (at > 0 && kept.add(',')) return true;
    const member = jsonValue(array[at], String(at));
    if (member === undefined ? kept.add('null') : write(member, kept, open)) return true;
  }
  return kept.add(']');
}

function writeObject(object: object, kept: Clipped, open: object[]): boolean {
  if (kept.add('{')) return true;
  let first = true;
  for (const key of Object.keys(object)) {
    const member = jsonValue((object as Record<string, unknown>)[key], key);
    if (member === undefined) continue;
    if ((!first && kept.add(',')) || writeString(key, kept) || kept.add(':') || write(member, kept, open)) return true;
    first = false;
  }
  return kept.add('}');
}

/** A string as JSON, quoted, cut into pieces anywhere but inside a surrogate pair. */
function writeString(text: string, kept: Clipped): boolean {
  if (kept.add('"')) return true;
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + STRING_PIECE, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end++;
    if (kept.add(JSON.stringify(text.slice(at, end)).slice(1, -1))) return true;
    at = end;
  }
  return kept.add('"');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
