import { referenceChecks } from './schema';

/** The task each check scores, as a newcomer may name the reward after it. */
const CHECK_OF_TASK: Readonly<Record<string, (typeof referenceChecks)[number]>> = { translation: 'chrf' };

/**
 * A reward `type` that names what the `reference` reward checks (`"math"`, `"chrf"`, or the task
 * `"translation"`, which chrF scores): the fix, which the list of types alone does not show.
 */
export function rewardTypeHint(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  const named = type.trim().toLowerCase();
  const check = referenceChecks.find((c) => c === named) ?? (Object.hasOwn(CHECK_OF_TASK, named) ? CHECK_OF_TASK[named] : undefined);
  return check && `to score answers against each row's reference, use {"type": "reference", "check": "${check}"}`;
}
