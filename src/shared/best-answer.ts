/**
 * The rule that names a search's best answer, kept once for the core (the trace's `best`, SFT
 * rows, prompt-done, compare) and the panel (its best node, running best reward, reward chart),
 * so the panel never shows one answer while the outputs take another. A response that holds an
 * answer beats a blank one (empty or whitespace: a reasoning model that spent its tokens before
 * answering), which is never training data; then the higher raw reward wins, and on a tie the
 * earlier one stays. A blank response is best only while every response is blank.
 */

/** What the rule weighs of a response. */
export interface Standing {
  reward: number;
  answer: boolean;
}

/** Whether a response's text holds an answer: blank text (absent, empty or whitespace) is none. */
export function holdsAnswer(text: string | undefined): boolean {
  return (text ?? '').trim() !== '';
}

/** A response without a reward (not scored yet) ranks below every scored one. */
export function standingOf(response: { text?: string; reward?: number }): Standing {
  return { reward: response.reward ?? -Infinity, answer: holdsAnswer(response.text) };
}

/** Whether `next`, met after `best` (undefined: none yet), takes its place as the best. */
export function outranks(next: Standing, best: Standing | undefined): boolean {
  if (best === undefined) return true;
  return next.answer === best.answer ? next.reward > best.reward : next.answer;
}

/** The best of the responses, given in the order they came (the earlier wins a tie). */
export function bestOf<T extends { text?: string; reward?: number }>(responses: Iterable<T>): T | undefined {
  let best: T | undefined;
  let bestStanding: Standing | undefined;
  for (const response of responses) {
    const standing = standingOf(response);
    if (!outranks(standing, bestStanding)) continue;
    best = response;
    bestStanding = standing;
  }
  return best;
}
