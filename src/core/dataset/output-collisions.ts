import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

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
  const seen = new Map<string, string>(input === undefined ? [] : [[fileKey(input.path), input.field]]);
  const collisions: OutputCollision[] = [];
  for (const kind of ['sft', 'preference', 'trace'] as const) {
    const { path, field } = outputs[kind];
    const key = fileKey(path);
    const other = seen.get(key);
    if (other !== undefined) collisions.push({ kind, field, message: `is ${other} (${path}); each output needs a file of its own` });
    else seen.set(key, field);
  }
  return collisions;
}

/**
 * What makes two paths one file: a file that is there is known by its device and inode, so a
 * link to it (or another letter case on a file system that ignores case) is the same file; one
 * not there yet by its path with the links of its folders followed.
 */
function fileKey(path: string): string {
  const full = resolve(path);
  try {
    const { dev, ino } = statSync(full);
    return `file ${dev}:${ino}`;
  } catch {
    return `path ${join(realFolder(dirname(full)), basename(full))}`;
  }
}

/** The folder with its links followed, as far up as it is there (the rest is made by the run). */
function realFolder(folder: string): string {
  try {
    return realpathSync.native(folder);
  } catch {
    const parent = dirname(folder);
    return parent === folder ? folder : join(realFolder(parent), basename(folder));
  }
}
