import { preferenceRow, sftRow, type TraceRow } from './records';
import { jsonLine } from './json-line';
import { readTailLines } from './tail-lines';
import type { LineSink } from './writer';

/**
 * Trace rows looked at: a crash can only have cut off the rows of the prompts that were being
 * stored when it came, which are among the last trace rows (at most two prompts per slot of
 * `run.concurrency` are in flight).
 */
const RECOVERY_TRACE_ROWS = 256;
/** SFT and preference rows looked at: the rows written with or after those trace rows. */
const RECOVERY_OUTPUT_ROWS = 4096;
const RECOVERY_MAX_BYTES = 64 * 1024 * 1024;

export interface OutputPaths {
  sft: string;
  preference: string;
  trace: string;
}

/** Rows to append so the SFT and preference outputs hold everything the trace says was derived. */
interface RecoveredRows {
  sft: string[];
  preference: string[];
}

/**
 * Roll-forward after a crash, for the runs that crashed (known from the lock they left). A trace
 * row is written before the SFT row and pair derived from its search, and names them
 * (`derived`), so it is the commit record: a crash between the two writes leaves a trace row
 * whose derived rows are missing, and resume would skip that prompt for good. This finds such
 * rows among the latest trace rows and rebuilds the missing lines exactly as they would have
 * been written (same messages, same texts, same JSON), so a row that did get written is
 * recognised and never written twice.
 */
export async function recoverDerivedRows(paths: OutputPaths, crashedRunIds: readonly string[]): Promise<RecoveredRows> {
  const recovered: RecoveredRows = { sft: [], preference: [] };
  // Only the runs that died (see output-lock.ts): rows a user deleted after a clean run stay deleted.
  const traces = (await readTailLines(paths.trace, RECOVERY_TRACE_ROWS, RECOVERY_MAX_BYTES)).flatMap(derivedOf).filter((t) => t.trace.runId !== undefined && crashedRunIds.includes(t.trace.runId));
  if (traces.length === 0) return recovered;
  const sftSeen = copiesOf(await readTailLines(paths.sft, RECOVERY_OUTPUT_ROWS, RECOVERY_MAX_BYTES));
  const pairsSeen = copiesOf(await readTailLines(paths.preference, RECOVERY_OUTPUT_ROWS, RECOVERY_MAX_BYTES));
  for (const { trace, sft, preference } of traces) {
    const text = (id: number): string | undefined => trace.tree.nodes[id]?.text;
    const sftText = sft === null ? undefined : text(sft);
    if (sftText !== undefined) addMissing(recovered.sft, sftSeen, jsonLine(sftRow(trace, sftText)));
    const [chosen, rejected] = preference ? [text(preference[0]), text(preference[1])] : [];
    if (chosen !== undefined && rejected !== undefined) addMissing(recovered.preference, pairsSeen, jsonLine(preferenceRow(trace, chosen, rejected)));
  }
  return recovered;
}

/**
 * Appends what recoverDerivedRows finds to the outputs (the CLI's files or the extension's
 * sinks). Returns the note to show, or undefined when nothing was missing.
 */
export async function restoreDerivedRows(paths: OutputPaths, crashedRunIds: readonly string[], sinks: { sft: LineSink; preference: LineSink }): Promise<string | undefined> {
  if (crashedRunIds.length === 0) return undefined;
  const missing = await recoverDerivedRows(paths, crashedRunIds);
  if (!missing.sft.length && !missing.preference.length) return undefined;
  if (missing.sft.length) await sinks.sft.append(missing.sft);
  if (missing.preference.length) await sinks.preference.append(missing.preference);
  return `recovered ${missing.sft.length} SFT row(s) and ${missing.preference.length} preference pair(s) that ${crashedRunIds.length === 1 ? 'an interrupted run' : 'interrupted runs'} (${crashedRunIds.join(', ')}) had not written after their trace rows`;
}

/** How many times each line is there. */
function copiesOf(lines: string[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const line of lines) copies.set(line, (copies.get(line) ?? 0) + 1);
  return copies;
}

/**
 * Each trace row's line is matched with a copy of its own: two prompts with the same messages and
 * the same answer (a dataset that repeats a prompt under two ids) derive the same line twice,
 * and one copy written must not stand for both.
 */
function addMissing(out: string[], seen: Map<string, number>, line: string): void {
  const copies = seen.get(line) ?? 0;
  if (copies > 0) seen.set(line, copies - 1);
  else out.push(line);
}

/** A trace row that names derived rows; anything else (older rows, half rows) is not for recovery. */
function derivedOf(line: string): Array<{ trace: TraceRow } & NonNullable<TraceRow['derived']>> {
  try {
    const trace = JSON.parse(line) as TraceRow;
    if (!trace.derived || !Array.isArray(trace.messages) || !Array.isArray(trace.tree?.nodes)) return [];
    return [{ trace, ...trace.derived }];
  } catch {
    return [];
  }
}
