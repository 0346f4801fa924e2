import type { PromptRow } from '../src/core';

/**
 * Instruction prompts for the benchmarks. The sim derives each prompt's difficulty and every
 * agent's affinity from the text alone, so a fixed list gives a fixed mix of easy and hard
 * prompts, with the best agent differing between them.
 */
export const PROMPTS: readonly string[] = [
  'Explain how a hash table handles collisions, with one short example.',
  'Write a friendly email asking a neighbour to keep their dog off the lawn.',
  'Summarize the causes of the French Revolution in five bullet points.',
  'Give three tips for writing clear commit messages.',
  'Describe the water cycle to a ten-year-old.',
  'Compare TCP and UDP for a video call application.',
  'Write a haiku about a train station at dawn.',
  'What are the trade-offs of microservices versus a monolith for a small team?',
  'Draft a short product description for a reusable water bottle.',
  'Explain the difference between precision and recall with a medical test example.',
  'Suggest a one-week beginner running plan.',
  'How does compound interest work? Include a worked example.',
  'Write a polite reply declining a meeting invitation.',
  'Explain what a race condition is and how a mutex prevents it.',
  'List the pros and cons of remote work for junior engineers.',
  'Describe how vaccines train the immune system.',
  'Write a limerick about a forgetful robot.',
  'Explain gradient descent without using any formulas.',
  'Give advice for a first-time manager running one-on-one meetings.',
  'Explain why the sky is blue.',
];

/** `count` rows cycling through PROMPTS (numbered past the list's end so every text is distinct). */
export function promptRows(count: number): PromptRow[] {
  return Array.from({ length: count }, (_, i) => {
    const base = PROMPTS[i % PROMPTS.length]!;
    const content = i < PROMPTS.length ? base : `${base} (variant ${Math.floor(i / PROMPTS.length)})`;
    return { id: `p${String(i).padStart(4, '0')}`, messages: [{ role: 'user', content }] };
  });
}
