/** The start of a text for an error message: one line, at most `max` characters. */
export function clip(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** `clip`, quoted, so empty or odd output is visible as such. */
export function excerpt(text: string, max = 120): string {
  return JSON.stringify(clip(text, max));
}

/** The start of a JSON value as JSON (not quoted again: `{"data":[]}`, not `"{\\"data\\":[]}"`). */
export function jsonExcerpt(value: unknown, max = 120): string {
  return clip(JSON.stringify(value) ?? 'undefined', max);
}
