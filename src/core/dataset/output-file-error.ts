import { fileErrorText } from '../util/file-error';

/**
 * An output that could not be created, opened or written, in words: its path, the config field
 * that names it, and why (`/data/sft.jsonl (output.sft): is a folder`), instead of Node's
 * `EISDIR: illegal operation on a directory, open '/data/sft.jsonl'`.
 */
export class OutputFileError extends Error {
  /** `doing`: what failed, for an error without a plain reason (`cannot read: ...`, as resume reads the trace). */
  constructor(path: string, field: string | undefined, cause: unknown, doing: 'read' | 'write' = 'write') {
    super(`${path}${field ? ` (${field})` : ''}: ${fileErrorText(cause, doing)}`, { cause });
    this.name = 'OutputFileError';
  }
}

/** `step`'s failure as an OutputFileError, unless it is one already. */
export async function onOutput<T>(path: string, field: string | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof OutputFileError ? error : new OutputFileError(path, field, error);
  }
}
