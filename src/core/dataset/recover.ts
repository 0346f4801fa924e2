import { preferenceRow, sftRow, type PreferenceRow, type SftRow, type TraceRow } from './records';
import { jsonLine } from './json-line';
import { markedOffset, type OutputMarks, type OutputPaths } from './output-marks';
import { readTailLines } from './tail-lines';
import type { LineSink } from './writer';
import { count, plural } from '../../shared/plural';

/**
 * Trace rows looked at: a crash can only have cut off the rows of the prompts that were being
 * stored when it came, which are among the last trace rows (at most two prompts per slot of
 * `run.concurrency` are in flight).
 */
const RECOVERY_TRACE_ROWS = 256;
/** SFT and preference rows looked at: the rows written with or after those trace rows. */
const RECOVERY_OUTPUT_ROWS = 4096;
const RECOVERY_MAX_BYTES = 64 * 1024 * 1024;

/** The runs that died holding the outputs (their lock says so, see output-lock.ts). */
export interface CrashedRuns {
  runIds: readonly string[];
  /**
   * Where their rows begin in each output (the marks of the earliest of them that began
   * appending, handed on by the others; see output-marks.ts). A lock
   * written by an earlier version has none: recovery then looks at the files' last rows,
   * whichever run wrote them, as that version did.
   */
  from?: OutputMarks;
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
 * rows among the latest trace rows and rebuilds the missing lines as they would have been
 * written. A row that did get written is recognised by what it says (roles and texts), not by
 * its bytes, so one written by an earlier version of the row format (without OpenAI's `weight`,
 * say) is never written twice either.
 *
 * Only the rows the crashed runs wrote are looked at: those after their marks (`crashed.from`).
 * An identical row an older run wrote (the same prompt and answer, a run with --fresh) must not
 * stand for the one the crash cut off.
 */
export async function recoverDerivedRows(paths: OutputPaths, crashed: CrashedRuns): Promise<RecoveredRows> {
  const recovered: RecoveredRows = { sft: [], preference: [] };
  const tail = async (kind: keyof OutputPaths, rows: number): Promise<string[]> =>
    readTailLines(paths[kind], rows, RECOVERY_MAX_BYTES, crashed.from ? markedOffset(paths[kind], crashed.from[kind]) : 0);
  // Only the runs that died (see output-lock.ts): rows a user deleted after a clean run stay deleted.
  const traces = (await tail('trace', RECOVERY_TRACE_ROWS)).flatMap(derivedOf).filter((t) => t.trace.runId !== undefined && crashed.runIds.includes(t.trace.runId));
  if (traces.length === 0) return recovered;
  const sftSeen = copiesOf(await tail('sft', RECOVERY_OUTPUT_ROWS), sftKey);
  const pairsSeen = copiesOf(await tail('preference', RECOVERY_OUTPUT_ROWS), pairKey);
  for (const { trace, sft, preference } of traces) {
    const text = (id: number): string | undefined => trace.tree.nodes[id]?.text;
    const sftText = sft === null ? undefined : text(sft);
    if (sftText !== undefined) addMissing(recovered.sft, sftSeen, sftRow(trace, sftText), sftKey);
    const [chosen, rejected] = preference ? [text(preference[0]), text(preference[1])] : [];
    if (chosen !== undefined && rejected !== undefined) addMissing(recovered.preference, pairsSeen, preferenceRow(trace, chosen, rejected), pairKey);
  }
  return recovered;
}

/**
 * Appends what recoverDerivedRows finds to the outputs (the CLI's files or the extension's
 * sinks). Returns the note to show, or undefined when nothing was missing.
 */
export async function restoreDerivedRows(paths: OutputPaths, crashed: CrashedRuns, sinks: { sft: LineSink; preference: LineSink }): Promise<string | undefined> {
  const { runIds } = crashed;
  if (runIds.length === 0) return undefined;
  const missing = await recoverDerivedRows(paths, crashed);
  if (!missing.sft.length && !missing.preference.length) return undefined;
  if (missing.sft.length) await sinks.sft.append(missing.sft);
  if (missing.preference.length) await sinks.preference.append(missing.preference);
  return `recovered ${count(missing.sft.length, 'SFT row')} and ${count(missing.preference.length, 'preference pair')} that ${plural(runIds.length, 'an interrupted run', 'interrupted runs')} (${runIds.join(', ')}) had not written after their trace rows`;
}

/** What a row says, as a key: its messages' roles and texts, whatever else a version wrote with them. */
type RowKey = (row: unknown) => string | undefined;

const turns = (messages: unknown): unknown[] | undefined => (Array.isArray(messages) ? messages.map((m: { role?: unknown; content?: unknown } | null) => [m?.role, m?.content]) : undefined);

const sftKey: RowKey = (row) => {
  const messages = turns((row as SftRow | null)?.messages);
  return messages && JSON.stringify(messages);
};

const pairKey: RowKey = (row) => {
  const pair = row as PreferenceRow | null;
  const parts = [turns(pair?.prompt), turns(pair?.chosen), turns(pair?.rejected)];
  return parts.every(Boolean) ? JSON.stringify(parts) : undefined;
};

/** How many rows say each thing; lines that are not such rows (a cut line, another tool's) count for none. */
function copiesOf(lines: string[], key: RowKey): Map<string, number> {
  const copies = new Map<string, number>();
  for (const line of lines) {
    const k = parsedKey(line, key);
    if (k !== undefined) copies.set(k, (copies.get(k) ?? 0) + 1);
  }
  return copies;
}

function parsedKey(line: string, key: RowKey): string | undefined {
  try {
    return key(JSON.parse(line));
  } catch {
    return undefined;
  }
}

/**
 * Each trace row's line is matched with a copy of its own: two prompts with the same messages and
 * the same answer (a dataset that repeats a prompt under two ids) derive the same line twice,
 * and one copy written must not stand for both.
 */
function addMissing(out: string[], seen: Map<string, number>, row: SftRow | PreferenceRow, key: RowKey): void {
  const k = key(row)!;
  const copies = seen.get(k) ?? 0;
  if (copies > 0) seen.set(k, copies - 1);
  else out.push(jsonLine(row));
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
