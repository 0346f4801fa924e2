import { statSync, unlinkSync } from 'node:fs';
import type { OutputPaths } from './output-marks';
import { isMissingFile } from '../util/file-error';

/** What a run that wrote no row does with the output files it created (see outputsFound). */
export interface CreatedOutputs {
  /**
   * When no output changed since they were found, removes those this run created (empty, as
   * nothing changed) and returns their paths; else removes nothing. Call it while the run still
   * holds the outputs' lock, so no other run is writing to them.
   */
  removeIfUnwritten(): string[];
}

/**
 * The outputs as a run finds them before opening them (which creates the missing ones): their
 * sizes, none for a file that is not there. A run that ends before writing a row (bad input rows,
 * an endpoint that cannot be reached, a cancel before the first prompt finished) should leave no
 * empty files behind, but must never remove a file it did not create, nor one that holds rows:
 * one created by this run is one not there now; one that holds rows shows in its size, whoever
 * wrote them (a crashed run's rows restored, an SFT row accepted by hand meanwhile). Sizes, not
 * the run's own count of rows: a row written by any hand keeps every file.
 */
export function outputsFound(paths: OutputPaths): CreatedOutputs {
  const found = [paths.sft, paths.preference, paths.trace].map((path) => ({ path, size: sizeOf(path) }));
  return {
    removeIfUnwritten: () => {
      // A file not there before and not there now (its open failed) is unchanged too.
      const unchanged = found.every(({ path, size }) => {
        const now = sizeOf(path);
        return (typeof now === 'number' && now === (size === 'missing' ? 0 : size)) || (now === 'missing' && size === 'missing');
      });
      if (!unchanged) return [];
      return found.filter(({ path, size }) => size === 'missing' && removeEmpty(path)).map(({ path }) => path);
    },
  };
}

/** The file's size, `missing` when it does not exist, `unknown` when it cannot be seen (then nothing is removed). */
function sizeOf(path: string): number | 'missing' | 'unknown' {
  try {
    return statSync(path).size;
  } catch (error) {
    return isMissingFile(error) ? 'missing' : 'unknown';
  }
}

/** Removes an empty file; false when there was none to remove. */
function removeEmpty(path: string): boolean {
  if (sizeOf(path) !== 0) return false;
  try {
    unlinkSync(path);
    return true;
  } catch {
    // Left behind, as before this cleanup: an empty file is harmless, and the run's own end matters more.
    return false;
  }
}
