import { standingOf } from '../../shared/best-answer';
import type { Candidate, SearchTree } from '../../shared/tree';
import { candidates } from '../search/candidates';

/**
 * The agents a finished prompt counts as a win for: the one that wrote its best answer, and
 * every other whose answer stands as high (as much reward, and an answer as well or as blank).
 * Tied agents share the win (see RunStats.promptDone): with a reward that gives few values (a
 * math check's 0 or 1) several agents often reach the top, and the tie rule that picks the
 * trace's best would otherwise hand each such prompt to the agent listed first.
 */
export function promptWinners(tree: SearchTree, best: Candidate): string[] {
  const top = standingOf(best);
  const tied = candidates(tree).filter((c) => {
    const standing = standingOf(c);
    return standing.reward === top.reward && standing.answer === top.answer;
  });
  return [...new Set([best.agent, ...tied.map((c) => c.agent)])];
}
