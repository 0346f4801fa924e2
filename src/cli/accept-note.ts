import type { ToaConfig } from '../core/config';

/**
 * The CLI accepts every best answer when the config sets no threshold. A math check scores an
 * answer 1 or 0, so a prompt no agent solved still gets an SFT row, with a wrong answer: say so
 * before the run, where it can be changed.
 */
export function autoAcceptNotes(config: ToaConfig): string[] {
  if (config.reward.type !== 'reference' || config.reward.check !== 'math' || config.output.autoAcceptAbove !== undefined) return [];
  return ['output.autoAcceptAbove is unset, so every prompt\'s best answer becomes an SFT row, also one that fails the math check (reward 0); set output.autoAcceptAbove to 1 to keep only answers that match the reference'];
}
