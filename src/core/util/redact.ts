/**
 * `text` without `secret` in it. Some servers echo the key they were sent in an error message
 * ("invalid api key sk-..."), and fault reasons go to logs, the panel and the terminal, where a
 * key must never appear. Keys too short to be real are left alone: replacing a one-letter
 * "key" would mangle every message.
 */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return text;
  return text.split(secret).join('[redacted key]');
}

const MIN_SECRET_LENGTH = 6;

/** A fault (or anything with a reason) whose reason no longer holds `secret`. */
export function redactReason<T extends { reason: string }>(fault: T, secret: string | undefined): T {
  return { ...fault, reason: redact(fault.reason, secret) };
}
