/**
 * `text` without `secret` in it. Some servers echo the key they were sent in an error message
 * ("invalid api key sk-..."), and fault reasons go to logs, the panel and the terminal, where a
 * key must never appear. Keys too short to be real are left alone (see MIN_SECRET_LENGTH).
 * `cutAtEnd`: the text itself was cut off (an answer stopped at max_tokens), so a start of the
 * key at its very end goes too, as one before an ellipsis always does.
 */
export function redact(text: string, secret: string | undefined, cutAtEnd = false): string {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return text;
  return redactCutKey(text.split(secret).join(REDACTED), secret, cutAtEnd);
}

/**
 * Keys shorter than this are not looked for: local servers take placeholders such as vLLM's
 * "EMPTY", and replacing a common word would mangle every message and answer that holds it.
 */
const MIN_SECRET_LENGTH = 8;
const REDACTED = '[redacted key]';

/**
 * Messages quote replies shortened to an excerpt ("... Bearer sk-proj-4f…"): a key the cut went
 * through is not whole, so it is not found above, yet its start is shown. Before an ellipsis (or
 * at the end of a text that was cut), the longest start of the key goes too. Starts of fewer than
 * 4 characters are left: "sk-" is in every OpenAI key, and replacing a letter or two would mangle
 * ordinary words.
 */
function redactCutKey(text: string, secret: string, cutAtEnd: boolean): string {
  // Found by indexOf, not by a regex: `(\S+)…` backtracks over a long run without spaces (a
  // base64 blob, minified code) once per position, and answers go through here.
  const cuts: number[] = [];
  for (let at = text.indexOf(ELLIPSIS); at >= 0; at = text.indexOf(ELLIPSIS, at + 1)) cuts.push(at);
  if (cutAtEnd) cuts.push(text.length);
  let shown = '';
  let from = 0;
  for (const at of cuts) {
    const k = keyStartBefore(text, at, secret);
    if (k === 0) continue;
    shown += `${text.slice(from, at - k)}${REDACTED}`;
    from = at;
  }
  return from === 0 ? text : shown + text.slice(from);
}

const ELLIPSIS = '…';

/** The length of the longest start of `secret` (at least MIN_CUT_START, never all of it) that ends at `at`; 0 for none. */
function keyStartBefore(text: string, at: number, secret: string): number {
  for (let k = Math.min(at, secret.length - 1); k >= MIN_CUT_START; k--) {
    if (text.startsWith(secret.slice(0, k), at - k)) return k;
  }
  return 0;
}

const MIN_CUT_START = 4;

/** A fault (or anything with a reason) whose reason no longer holds `secret`. */
export function redactReason<T extends { reason: string }>(fault: T, secret: string | undefined): T {
  return { ...fault, reason: redact(fault.reason, secret) };
}

/**
 * A URL as messages show it: without a user name or password, and with its query's values
 * hidden (`?key=…`), where some scorers take their key. Text that is no URL is returned as it is.
 */
export function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  const names = [...new URLSearchParams(parsed.search).keys()];
  const query = names.length ? `?${names.map((name) => `${name}=…`).join('&')}` : parsed.search;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

/**
 * `text` without any of `keys` in it (see createModels), each as `redact` takes it out: whole, or
 * its start where a cut went through it. The longest key goes first, so a key that holds another
 * is replaced whole.
 */
export function redactKeys(text: string, keys: readonly string[], cutAtEnd = false): string {
  const longestFirst = [...keys].sort((a, b) => b.length - a.length);
  return longestFirst.reduce((done, key) => redact(done, key, cutAtEnd), text);
}
