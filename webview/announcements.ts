import { countPrompts, savingText } from '../src/shared/prompt-counts';
import type { RunWarning } from '../src/shared/events';
import type { HostToWebview, PanelSnapshot } from '../src/shared/protocol';
import { OUTCOME_LABEL } from './format';

/**
 * What the panel's live regions say to a screen reader, which reads a change in them aloud
 * without moving the focus. Few words, and seldom: a run says when it sets up, starts, reaches
 * each quarter of its prompts, cancels and ends, never each play (a run makes thousands). The
 * other region reads news once: the host's answers to decisions, a run's new warnings, info notices.
 */

/**
 * Prompts done are counted in steps, so the words change only when a step is reached: a quarter of
 * the run when its input's size was known up front, else every this many prompts (a streamed
 * input's total grows as it is read, and would change the words at every prompt queued).
 */
const UNKNOWN_TOTAL_STEP = 10;

/** The run's state, and its prompts done counted in steps. */
export function runAnnouncement(s: PanelSnapshot): string {
  if (s.preparing) return `Preparing a run: ${s.preparing.step}`;
  if (s.runId === null) return '';
  const { finished, total } = countPrompts(s.prompts, s.inputPrompts);
  if (s.cancelling) return `Cancelling: ${savingText(s.cancelling)}`;
  if (!s.running) return `Run ${OUTCOME_LABEL[s.outcome ?? 'finished'].toLowerCase()}: ${finished} of ${total} prompts done`;
  const known = s.inputPrompts !== undefined;
  const step = known ? Math.max(1, Math.ceil(total / 4)) : UNKNOWN_TOTAL_STEP;
  return `Running: ${Math.floor(finished / step) * step}${known ? ` of ${total}` : ''} prompts done`;
}

/** The host's answer to a decision made in the panel (accept, reject, a pair): saved where, or why not. */
export function decisionAnnouncement(s: PanelSnapshot, m: Extract<HostToWebview, { type: 'prompt-status' }>): string {
  const n = s.prompts.findIndex((p) => p.id === m.promptId) + 1;
  const prompt = n > 0 ? `Prompt ${n}` : m.promptId;
  if (m.level === 'error') return `${prompt}: ${m.reason ?? 'not saved'}`;
  return `${prompt} ${m.status}${m.reason ? `: ${m.reason}` : ''}`;
}

/** A warning the run just gave, read once as it arrives (the notice under the header stays). */
export function warningAnnouncement(w: RunWarning): string {
  return `Warning: ${w.message}`;
}
