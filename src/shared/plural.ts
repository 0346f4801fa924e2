/**
 * Nouns that agree with their number, for messages the host, the CLI and the panel write
 * ("1 prompt", "3 prompts"). An irregular plural is given: count(n, 'retry', 'retries').
 */

/** The noun alone in the form `n` takes, for a number written elsewhere ("unknown fields "a", "b""). */
export function plural(n: number, noun: string, pluralForm = `${noun}s`): string {
  return n === 1 ? noun : pluralForm;
}

/** `n` and its noun: "1 attempt", "0 attempts", "2 classes". */
export function count(n: number, noun: string, pluralForm = `${noun}s`): string {
  return `${n} ${plural(n, noun, pluralForm)}`;
}
