import type { PromptRow } from '../chat';
import { ValidationError, type Problem } from '../config/errors';
import type { InputConfig, RewardConfig } from '../config/schema';
import { stripBom } from './file-lines';
import { jsonLineError } from './json-error';
import { normalizeRow } from './prompt-row';
import { count } from '../../shared/plural';
import { ownValue } from '../../shared/own-value';

const REFERENCE_REQUIRED = 'is required: the reward checks answers against a reference (reward.type "reference")';

/** Whether every row of a run with this reward must carry a reference (to check answers against). */
export function needsReferences(reward: Pick<RewardConfig, 'type'>): boolean {
  return reward.type === 'reference';
}

function lacksReference(row: PromptRow): boolean {
  return !row.reference?.trim();
}

/**
 * For rows read without the check (the editor reads rows before it knows the run's reward):
 * throws one ValidationError naming every row without a reference, at its file and line.
 */
export function requireReferences(rows: readonly PromptRow[], referenceField: string): void {
  const problems: Problem[] = rows
    .filter(lacksReference)
    .map((row) => ({ file: row.source?.file, line: row.source?.line, path: referenceField, message: REFERENCE_REQUIRED }));
  if (problems.length) throw cappedError(problems.slice(0, MAX_PROBLEMS), problems.length - MAX_PROBLEMS, problems[MAX_PROBLEMS]);
}

/** Problems kept in full; beyond this a bad file is summarized ("... and N more"), so memory stays flat. */
export const MAX_PROBLEMS = 100;

/**
 * The kept problems, and one more that sums up the `dropped` ones at the place of the first of
 * them, `first` (so the Problems view shows it where the unlisted problems start).
 */
function cappedError(kept: Problem[], dropped: number, first: Problem | undefined): ValidationError {
  if (dropped <= 0) return new ValidationError(kept);
  const summary: Problem = { file: first?.file, line: first?.line, path: '', message: `... and ${count(dropped, 'more problem')} from this line on`, omitted: dropped };
  return new ValidationError([...kept, summary]);
}

/**
 * Checks JSONL lines one at a time: parses, normalizes, and catches duplicate ids (naming both
 * lines). It remembers every id with its line (for the duplicate check), nothing else, so a
 * 100,000-row file costs a few MB here.
 */
export class RowChecker {
  private readonly problems: Problem[] = [];
  private dropped = 0;
  /** Where the first problem not kept is. */
  private firstDropped: Problem | undefined;
  private readonly ids = new Map<string, number>();
  /** No non-blank line seen yet: a first line that is not JSON is most likely a file that is not JSON Lines. */
  private atFirstLine = true;

  constructor(
    private readonly input: InputConfig,
    private readonly file?: string,
    /** Rows without a reference are problems (a reference reward would fail them mid-run). */
    private readonly requireReference = false,
  ) {}

  get problemCount(): number {
    return this.problems.length + this.dropped;
  }

  /** The row on `line`, or undefined for a blank line or a line with problems (recorded). */
  check(text: string, line: number): PromptRow | undefined {
    if (!text.trim()) return undefined;
    const firstLine = this.atFirstLine;
    this.atFirstLine = false;
    const parsed = this.parse(text, line, firstLine);
    if (!parsed) return undefined;
    const result = normalizeRow(parsed.value, this.input, line);
    if (result.problems) {
      for (const p of result.problems) this.add(line, p.path, p.message);
      return undefined;
    }
    const row = result.row;
    if (this.requireReference && lacksReference(row)) {
      this.add(line, this.input.referenceField, REFERENCE_REQUIRED);
      return undefined;
    }
    if (this.takenId(row, parsed.value, line)) return undefined;
    this.ids.set(row.id, line);
    row.source = this.file === undefined ? { line } : { file: this.file, line };
    return row;
  }

  /** The line's JSON value (boxed: JSON null is a value), or undefined with its problem recorded. */
  private parse(text: string, line: number, firstLine: boolean): { value: unknown } | undefined {
    // A byte-order mark starting a later line is a second file's, joined on (`cat a.jsonl b.jsonl`):
    // it is no part of the row, and JSON.parse's complaint would quote an invisible character.
    const json = stripBom(text);
    try {
      return { value: JSON.parse(json) };
    } catch (error) {
      // A CSV's header, a text file's first prompt, a JSON array's "[": say what the file must be.
      const form = firstLine ? `; the input must be JSON Lines, one JSON object per line, such as {"prompt": "..."}` : '';
      const { message, column } = jsonLineError(error, json);
      // The column in the line as the editor has it, which keeps the mark stripBom removed.
      this.add(line, '', `invalid JSON (${message.slice(0, 120)})${form}`, column === undefined ? undefined : column + text.length - json.length);
      return undefined;
    }
  }

  /** Whether an earlier row has the row's id (the problem recorded). */
  private takenId(row: PromptRow, value: unknown, line: number): boolean {
    const first = this.ids.get(row.id);
    if (first === undefined) return false;
    // A row without an id gets `line-<n>`; another row may have taken that as its own id.
    const generated = ownValue(value as Record<string, unknown>, this.input.idField) === undefined;
    const message = generated
      ? `no id, and the id it would get, "${row.id}", is line ${first}'s: give one of the two rows another id`
      : `duplicate id "${row.id}" (also on line ${first})`;
    this.add(line, this.input.idField, message);
    return true;
  }

  /** Throws one ValidationError listing every problem seen so far. */
  throwIfProblems(): void {
    if (!this.problemCount) return;
    throw cappedError(this.problems.slice(), this.dropped, this.firstDropped);
  }

  private add(line: number, path: string, message: string, column?: number): void {
    const problem: Problem = column === undefined ? { file: this.file, line, path, message } : { file: this.file, line, column, path, message };
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
    else if (this.dropped++ === 0) this.firstDropped = problem;
  }
}
