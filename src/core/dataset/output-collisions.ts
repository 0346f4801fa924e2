import { resolve } from 'node:path';

type OutputKind = 'sft' | 'preference' | 'trace';

/** A file a run reads or writes, and what named it: `output.sft`, a setting, `the input file`. */
export interface NamedFile {
  path: string;
  field: string;
}

/** An output that is the file an earlier output, or the input, is. */
export interface OutputCollision {
  kind: OutputKind;
  /** What named this output (its NamedFile's field). */
  field: string;
  /** Says what else the file is: `is output.sft (data/out.jsonl); each output needs a file of its own`. */
  message: string;
}

/**
 * Outputs must be three files, none of them the input: rows of one kind appended to another's
 * file, or to the prompts, would corrupt both (and resume would read SFT rows as trace rows).
 * The CLI and the extension both refuse what this finds, before anything is written.
 */
export function outputCollisions(outputs: Record<OutputKind, NamedFile>, input?: NamedFile): OutputCollision[] {
  const seen = new Map<string, string>(input === undefined ? [] : [[resolve(input.path), input.field]]);
  const collisions: OutputCollision[] = [];
  for (const kind of ['sft', 'preference', 'trace'] as const) {
    const { path, field } = outputs[kind];
    const other = seen.get(resolve(path));
    if (other !== undefined) collisions.push({ kind, field, message: `is ${other} (${path}); each output needs a file of its own` });
    else seen.set(resolve(path), field);
  }
  return collisions;
}
