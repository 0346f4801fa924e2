import type { Random } from '../core/util/random';

/**
 * Plausible-looking prose for a response: sentences mixing the prompt's own words with a
 * fixed pool, more and longer the higher the quality, so length tracks quality the way it
 * loosely does with real models and reward models.
 */

const POOL = (
  'approach answer careful clear concrete consider context detail evidence example explain ' +
  'first focus follows general important instance key likely main method note option outcome ' +
  'part point practice precise question reason result second simple specific step structure ' +
  'summary support therefore thus useful value whole works yields depends means shows gives ' +
  'helps matters remains case idea aspect factor view way goal'
).split(' ');

const OPENERS = ['', 'First,', 'Moreover,', 'In practice,', 'For example,', 'As a result,', 'Note that', 'In short,'];

const STOPWORDS = new Set(
  'the and for are but not you all any can had her was one our out has him his how its may new now see two who did get let put say she too use with that this from what when which your will would there their about into than then them they been have were more some such only also each other'.split(
    ' ',
  ),
);

/** Lower-case words of the prompt worth echoing; never tags, numbers or markup. */
export function keywords(prompt: string): string[] {
  const words = prompt.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? [];
  return [...new Set(words.filter((w) => !STOPWORDS.has(w)))];
}

function pick<T>(items: readonly T[], rng: Random): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function sentence(topic: readonly string[], rng: Random, opener: string): string {
  const length = 6 + Math.floor(rng.next() * 7);
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(topic.length > 0 && rng.next() < 0.35 ? pick(topic, rng) : pick(POOL, rng));
  const body = words.join(' ');
  const text = opener ? `${opener} ${body}` : body;
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

/** 2 to 10 sentences, growing with `quality` in [0, 1]. */
export function prose(prompt: string, quality: number, rng: Random): string {
  const topic = keywords(prompt);
  const count = 2 + Math.round(quality * 8);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(sentence(topic, rng, i === 0 ? '' : pick(OPENERS, rng)));
  return sentences.join(' ');
}

/**
 * The final answer for a math prompt: correct with probability `quality`, else a nearby wrong
 * number (or an unrelated one when the key is not numeric).
 */
export function finalAnswer(correct: string, quality: number, rng: Random): string {
  if (rng.next() < quality) return correct;
  const offset = (1 + Math.floor(rng.next() * 9)) * (rng.next() < 0.5 ? -1 : 1);
  const plain = correct.trim().replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(plain)) return String(100 + offset);
  const decimals = plain.split('.')[1]?.length ?? 0;
  return (Number(plain) + offset).toFixed(decimals);
}

/** Tokens are counted as whitespace-separated words: close enough to a tokenizer for usage stats. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}
