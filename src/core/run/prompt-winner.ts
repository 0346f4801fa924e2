import { standingOf } from '../../shared/best-answer';
import type { Candidate, SearchTree } from '../../shared/tree';
import { candidates } from '../search/candidates';

/**
 * The agent a finished prompt counts as a win for: the one that wrote its best answer, unless an
 * answer of another agent stands as high (as much reward, and an answer as well or as blank).
 * A tie is no one's win: with every reward 0 (a math check with no answer key) the tie rule
 * that picks the trace's best would otherwise hand every prompt to the first agent, and an
 * agent tuned by its win share would look best for being listed first.
 */
export function promptWinner(tree: SearchTree, best: Candidate): string | undefined {
  const top = standingOf(best);
  const tied = candidates(tree).some((c) => {
    if (c.agent === best.agent) return false;
    const standing = standingOf(c);
    return standing.reward === top.reward && standing.answer === top.answer;
  });
  return tied ? undefined : best.agent;
}
