/**
 * Half of a surrogate pair with no other half (`"\ud83d"` in JSON, often an emoji cut in two) is
 * no character: a string holding one has no UTF-8 form, so no SFT row or pair holding it can be
 * written, and trainers' tokenizers refuse it. In a `u` regex a surrogate class matches only
 * such halves, not the halves of a pair.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

/** The first lone half in `text`, if any: `search` stops at it (and ignores the g flag), where `match` would collect them all. */
export function firstLoneSurrogate(text: string): string | undefined {
  const at = text.search(LONE_SURROGATE);
  return at < 0 ? undefined : text[at];
}

/**
 * The text with each lone half replaced by U+FFFD, as a UTF-8 encoder does.
 * (String.prototype.toWellFormed does this in Node 20, but is typed from ES2024, past our lib.)
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
