/**
 * `text` without `secret` in it. Some servers echo the key they were sent in an error message
 * ("invalid api key sk-..."), and fault reasons go to logs, the panel and the terminal, where a
 * key must never appear. Keys too short to be real are left alone: replacing a one-letter
 * "key" would mangle every message.
 */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return text;
  return redactCutKey(text.split(secret).join(REDACTED), secret);
}

const MIN_SECRET_LENGTH = 6;
const REDACTED = '[redacted key]';

/**
 * Messages quote replies shortened to an excerpt ("... Bearer sk-proj-4f…"): a key the cut went
 * through is not whole, so it is not found above, yet its start is shown. Before an ellipsis, the
 * longest start of the key goes too. Starts of fewer than 4 characters are left: "sk-" is in
 * every OpenAI key, and replacing a letter or two would mangle ordinary words.
 */
function redactCutKey(text: string, secret: string): string {
  return text.replace(/(\S+)…/g, (match, before: string) => {
    for (let k = Math.min(before.length, secret.length - 1); k >= MIN_CUT_START; k--) {
      if (before.endsWith(secret.slice(0, k))) return `${before.slice(0, before.length - k)}${REDACTED}…`;
    }
    return match;
  });
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
 * Keys shorter than this are not looked for in answers: local servers take placeholders such as
 * vLLM's "EMPTY", and replacing a common word would mangle every answer that holds it.
 */
const MIN_REDACTED_KEY_LENGTH = 8;

/**
 * `text` without any of `keys` in it, whole, wherever it appears (see createModels). The longest
 * key goes first, so a key that holds another is replaced whole.
 */
export function redactKeys(text: string, keys: readonly string[]): string {
  const secrets = keys.filter((key) => key.length >= MIN_REDACTED_KEY_LENGTH).sort((a, b) => b.length - a.length);
  return secrets.reduce((done, key) => done.split(key).join(REDACTED), text);
}
