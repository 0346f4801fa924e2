import { count, plural } from '../shared/plural';

/**
 * What a run's finish message says beyond its counts: the next step a user may not know.
 *
 * Of the prompts a run that resumed skipped as already done: resume matches a prompt by id and
 * text, whatever configuration searched it, so after a try on the built-in
 * simulator, a run on real endpoints would skip every prompt the simulator answered, with
 * nothing to say why or how to search them again (Synthesize File has no --fresh; a selection
 * is searched again).
 */

function again(n: number): string {
  return `Synthesize Selection on ${plural(n, 'its line', 'their lines')} searches ${plural(n, 'it', 'them')} again`;
}

/** The finish message's part, e.g. `, 4 skipped (already in data/traces.jsonl, 3 of them from another configuration: ...)`. */
export function skippedPart(skipped: number, searched: number, elsewhere: number, trace: string): string {
  if (!skipped) return '';
  if (elsewhere) return `, ${skipped} skipped (already in ${trace}, ${elsewhere} of them from another configuration: ${again(elsewhere)})`;
  // A run that searched nothing at all: the user most likely meant it to.
  return `, ${skipped} skipped (already in ${trace}${searched ? '' : `: ${again(skipped)}`})`;
}

/** The note for the log and the panel when prompts skipped as done were searched under another configuration. */
export function otherConfigNote(elsewhere: number, trace: string): string {
  return `${count(elsewhere, 'prompt')} skipped as already done ${plural(elsewhere, 'was', 'were')} searched under another configuration (search, agents or reward changed since, or the built-in simulated endpoints answered): ${trace} holds ${plural(elsewhere, 'its', 'their')} search. ${again(elsewhere)}, or set other outputs.`;
}

/**
 * Without auto-accept, a run writes only its trace: the answers wait in the panel, and a user
 * who looks for them in the SFT output after a first run finds nothing there.
 */
export function curationHint(done: number, sft: string): string {
  return done ? ` Accept or reject the answers in the panel: ${sft} gets a row for each one you accept.` : '';
}
