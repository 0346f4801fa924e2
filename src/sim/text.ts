import type { Random } from '../core/util/random';

/**
 * Plausible-looking prose for a response: template sentences about the prompt's own words,
 * more of them the higher the quality, so length tracks quality the way it loosely does with
 * real models and reward models.
 */

const TEMPLATES = [
  'The {adj} {noun} of {kw} is what matters most here.',
  '{Kw} {verb} the {noun}, so a {adj} {noun} follows.',
  'A {adj} way to see {kw} is through its {noun}.',
  'In practice, {kw} and {kw} depend on each other.',
  'For example, a {adj} {noun} shows how {kw} {verb} the {noun}.',
  'This is why {kw} needs a {adj} {noun}.',
  'Note that the {noun} of {kw} is {adj}, though not always {adj}.',
  'As a result, {kw} {verb} a {adj} {noun}.',
  'Consider {kw} first: its {noun} {verb} everything else.',
  'In short, {kw} {verb} the {adj} {noun} behind {kw}.',
];

const WORDS: Record<'adj' | 'noun' | 'verb', readonly string[]> = {
  adj: 'clear careful central practical simple subtle useful specific general precise common direct'.split(' '),
  noun: 'structure context outcome detail reason method balance pattern effect principle example trade-off'.split(' '),
  verb: 'shapes explains supports limits improves reveals changes drives follows'.split(' '),
};

/** Stand-ins for the topic when the prompt has no words worth echoing (e.g. bare arithmetic). */
const FALLBACK_TOPIC = ['the question', 'the problem', 'the answer'];

const STOPWORDS = new Set(
  'the and for are but not you all any can had her was one our out has him his how its may new now see two who did get let put say she too use with that this from what when which your will would there their about into than then them they been have were more some such only also each other'.split(
    ' ',
  ),
);

/** Lower-case words of the prompt worth echoing; never tags, numbers or markup. */
function keywords(prompt: string): string[] {
  const words = prompt.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? [];
  return [...new Set(words.filter((w) => !STOPWORDS.has(w)))];
}

function pick<T>(items: readonly T[], rng: Random): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function sentence(topic: readonly string[], rng: Random): string {
  return pick(TEMPLATES, rng).replace(/\{(kw|Kw|adj|noun|verb)\}/g, (_, slot: string) => {
    if (slot === 'Kw') {
      const word = pick(topic, rng);
      return word.charAt(0).toUpperCase() + word.slice(1);
    }
    return slot === 'kw' ? pick(topic, rng) : pick(WORDS[slot as keyof typeof WORDS], rng);
  });
}

/** 2 to 10 sentences, growing with `quality` in [0, 1]. */
export function prose(prompt: string, quality: number, rng: Random): string {
  const words = keywords(prompt);
  const topic = words.length > 0 ? words : FALLBACK_TOPIC;
  const count = 2 + Math.round(quality * 8);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(sentence(topic, rng));
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
