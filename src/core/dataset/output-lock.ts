import { mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { OutputFileError } from './output-file-error';
import { checkCreatable, removeEmptyFolders } from './output-folder';
import { markOutputs, parseMarks, type OutputMarks, type OutputPaths } from './output-marks';
import type { CrashedRuns } from './recover';
import { plural } from '../../shared/plural';
import { errorText } from '../util/errors';
import { processAlive } from '../util/process-alive';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
  /** The run that holds the lock: after a crash, the run whose rows recovery looks for. */
  runId: string;
  /**
   * Runs that died before this one whose rows it has not restored yet: a run killed while it
   * restores them hands them on with its own.
   */
  unrecovered?: string[];
  /**
   * Where the rows of the runs this lock names begin in each output: this run's marks once it
   * appends (see appending), until then those of the runs it took over, handed on. Absent in a
   * lock an earlier version wrote, and in one whose runs never got to append (no rows to look
   * for): recovery then reads the outputs' last rows, as before marks existed.
   */
  from?: OutputMarks;
  /**
   * Its run ended without restoring the crashed runs' rows (restoreFailed) and holds it no more:
   * any run takes it over and restores them. The extension's window lives on with its pid, which
   * would otherwise refuse every other window on these outputs, telling the user to delete the
   * lock, and the crashed runs' ids with it.
   */
  handedOn?: boolean;
  /**
   * Set in a guard (see takeGuard): the lock beside another output of the run whose trace this
   * names. It stands for no crashed run: the trace's own lock alone hands runs on for recovery.
   */
  guards?: string;
}

/** An output besides the trace (the SFT or preference file), and what named it (`output.sft`). */
export interface GuardedOutput {
  path: string;
  field: string;
}

/** The outputs a run guards besides its trace: its SFT and preference files (see lockOutputs). */
export function guardedOutputs(paths: Omit<OutputPaths, 'trace'>, fields: Record<'sft' | 'preference', string>): GuardedOutput[] {
  return [
    { path: paths.sft, field: fields.sft },
    { path: paths.preference, field: fields.preference },
  ];
}

export interface OutputLock {
  /**
   * Removes the lock: a run that ended (finished, cancelled or stopped by an error) cleanly. A
   * lock that still names crashed runs (appending() not called: restoring their rows failed) is
   * kept, handed on, so the next run (from any window) takes it over and restores them; removed,
   * their ids would be lost, and with them their rows (resume skips their prompts: their trace
   * rows are written).
   */
  release(): void;
  /**
   * The runs that died holding the outputs and may have left rows unwritten after their trace
   * rows (see recover.ts): the one whose lock this lock took over, then those it had taken over
   * and died before restoring (no runs when the lock was free); and where their rows begin.
   */
  crashed: CrashedRuns;
  /**
   * Their rows are restored and this run is about to append its own: the lock stops naming
   * them, so a crash from now on hands on this run alone, and records where this run's rows
   * begin in each output (`paths`, mended and restored by now), so recovery after a crash looks
   * at its rows only. Until then a run killed while restoring them leaves them to the next.
   */
  appending(paths: OutputPaths): void;
  /**
   * An output failed mid-run (an OutputError: a full disk): a trace row may name an SFT row or
   * pair its file does not hold, and resume would skip that prompt for good. Release then hands
   * the lock on naming this run, as after a failed restore, so the next run writes them (see
   * recover.ts). Returns the error the run ends with, which says so.
   */
  outputFailed(cause: Error): Error;
}

/**
 * One run per set of outputs. Two runs appending to the same files would each search and write
 * every prompt the other has not finished yet, doubling rows. The lock is a file beside the
 * trace output, created exclusively, holding the owner's pid, host and run id; the CLI and the
 * extension (for outputs on disk) both take it.
 *
 * Only a clean end releases it. A run that died (SIGKILL, a second Ctrl-C, power loss, a closed
 * window) leaves it behind: the next run takes it over when that pid is gone on this host, and
 * learns which runs may have left rows half written, and where their rows begin (`crashed`, see
 * recover.ts). A lock from another host cannot be checked, so the message says how to remove it.
 *
 * `traceField`: what named the trace's path, for the lock's errors (see OutputFileError); the
 * extension's `setting toaStudio.output.trace` when a setting did.
 *
 * `others`: the run's other outputs. Runs with traces of their own may share one of them (one SFT
 * file for two tasks), and the trace's lock does not see that: a guard, a lock file beside each
 * of them, refuses a second run on one as the trace's lock does (see takeGuard).
 */
export function lockOutputs(trace: string, runId: string, traceField = 'output.trace', others: readonly GuardedOutput[] = []): OutputLock {
  const path = `${trace}.lock`;
  // Our own pid in the lock reads as a dead run's (see running): one this process holds is busy.
  const ours = heldHere(path);
  if (ours) throw busy(trace, path, ours);
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), runId };
  const file = new LockFile(path, lockLabel(traceField));
  const taken = claimLock(file, trace, owner);
  heldLocks.set(resolve(path), runId);
  const guards: LockFile[] = [];
  const lock = new HeldLock(file, owner, taken, guards);
  guardOthers(others, owner, trace, lock, guards);
  return lock;
}

/** The trace's lock as a run took it. */
interface TakenLock {
  /** What our lock file holds. */
  held: LockOwner;
  crashed: CrashedRuns;
}

/**
 * Creates the trace's lock, or takes it over from a dead run (handed on, or its pid gone on this
 * host); throws when a live run holds it, or when the rounds are over.
 */
function claimLock(file: LockFile, trace: string, owner: LockOwner): TakenLock {
  const rounds = new Rounds();
  for (; !file.create(owner); rounds.next()) {
    const text = file.read();
    // Released between our create and our read: create again.
    if (text === undefined && !rounds.over()) continue;
    const holder = parseOwner(text);
    const dead = holder && (holder.handedOn === true || (holder.host === owner.host && !running(holder.pid)));
    if (!dead || rounds.over()) throw busy(trace, file.path, holder);
    const took = takeOverDead(file.path, text, owner, holder);
    if (took) return took;
    // Another run holds the claim (wait for it), or got there first (read its lock again).
    if (took === undefined) rounds.waitForClaim();
  }
  return { held: owner, crashed: { runIds: [] } };
}

/**
 * Takes over the lock of a dead run (`holder`, read as `text`): ours names the runs it leaves
 * unrecovered, and where their rows begin. False and undefined as takeOver returns them.
 */
function takeOverDead(path: string, text: string | undefined, owner: LockOwner, holder: ReadOwner): TakenLock | false | undefined {
  // A guard left by a dead run stands for no crashed run of these outputs (see LockOwner.guards).
  const unrecovered = holder.guards === undefined ? [...new Set([holder.runId, ...holder.unrecovered].filter(Boolean))] : [];
  const claim = { ...owner, unrecovered, from: holder.guards === undefined ? holder.from : undefined };
  const took = takeOver(path, text, claim);
  if (!took) return took;
  const crashed = holder.from ? { runIds: unrecovered, from: holder.from } : { runIds: unrecovered };
  removeLeftover(path, holder.pid);
  return { held: claim, crashed };
}

/** The run's handle on the lock it took (`taken`), and on the guards of its other outputs (`guards`, taken after). */
class HeldLock implements OutputLock {
  readonly crashed: CrashedRuns;
  /** What the lock file holds now. */
  private held: LockOwner;
  private released = false;
  /** Whether the lock still names the crashed runs (taken over, not yet appending()). */
  private handOn: boolean;

  constructor(
    private readonly file: LockFile,
    private readonly owner: LockOwner,
    taken: TakenLock,
    private readonly guards: readonly LockFile[],
  ) {
    this.crashed = taken.crashed;
    this.held = taken.held;
    this.handOn = taken.crashed.runIds.length > 0;
  }

  appending(paths: OutputPaths): void {
    if (this.released) return;
    this.handOn = false;
    try {
      const marked = { ...this.owner, from: markOutputs(paths) };
      replaceLock(this.file.path, marked);
      this.held = marked;
    } catch {
      // Marks are a refinement: without them (a rename refused by a virus scanner, say) the
      // lock keeps the earlier runs' marks, or none, and recovery reads from there or from the
      // files' last rows, more widely but never writing a row twice. No reason to stop the run.
    }
  }

  outputFailed(cause: Error): Error {
    this.handOn = true;
    return new Error(`${cause.message}. The lock ${this.file.path} is kept, so the next run on these outputs writes the SFT rows and preference pairs this run could not: fix the cause and run again`, { cause });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const { path, made } = this.file;
    // First: the trace's folder is removed below only once nothing is left in it.
    for (const guard of this.guards) releaseGuard(guard);
    heldLocks.delete(resolve(path));
    if (this.handOn) return handOver(path, this.held);
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
    if (made !== undefined) removeEmptyFolders(dirname(path), made);
  }
}

/** Guards the run's other outputs (see takeGuard) into `guards`; when one refuses the run, releases `lock` and throws. */
function guardOthers(others: readonly GuardedOutput[], owner: LockOwner, trace: string, lock: OutputLock, guards: LockFile[]): void {
  try {
    for (const other of others) guards.push(takeGuard(other, owner, trace));
  } catch (error) {
    // Taken over from a crashed run, the trace's lock is handed on as it was (see release).
    lock.release();
    throw error;
  }
}

/**
 * A lock file to create exclusively, with the folders it needs; `made` is the first of those it
 * made, which a run that ends having written nothing there removes. Checked at once, so a path
 * no file can take fails in words before any try.
 */
class LockFile {
  made: string | undefined;
  private folderGone = 0;

  constructor(
    readonly path: string,
    private readonly label: string,
  ) {
    try {
      checkCreatable(path);
    } catch (error) {
      throw new OutputFileError(path, label, error);
    }
  }

  /** Creates it holding `owner`; false when one is there (or its folder went, see below). */
  create(owner: LockOwner): boolean {
    try {
      this.made = mkdirSync(dirname(this.path), { recursive: true }) ?? this.made;
      return created(this.path, owner);
    } catch (error) {
      // Its folder, emptied and removed by another run's end between the two steps: made again
      // next round. Again and again, it is no race: a link in the path that points nowhere.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && ++this.folderGone < FOLDER_GONE_TRIES) return false;
      throw new OutputFileError(this.path, this.label, error);
    }
  }

  /** What it holds now; undefined when it is gone. */
  read(): string | undefined {
    return readText(this.path, this.label);
  }
}

/**
 * Keeps `output` from other runs while this one (`owner`, whose trace is `trace`) writes it: a lock
 * file beside it, created exclusively as the trace's is. A guard a dead run left on this host is
 * taken over; a live run's guard, and the trace's lock of another set of outputs (the file is that
 * run's trace), refuse this run.
 */
function takeGuard(output: GuardedOutput, owner: LockOwner, trace: string): LockFile {
  const path = `${output.path}.lock`;
  const ours = heldHere(path);
  if (ours) throw busy(output.path, path, ours);
  const guard: LockOwner = { ...owner, guards: resolve(trace) };
  const file = new LockFile(path, lockLabel(output.field));
  const rounds = new Rounds();
  for (; !file.create(guard); rounds.next()) {
    const text = file.read();
    if (text === undefined && !rounds.over()) continue;
    const holder = parseOwner(text);
    if (holder && holder.guards === undefined) throw anotherTrace(output, path, holder);
    const dead = holder !== undefined && holder.host === owner.host && !running(holder.pid);
    if (!dead || rounds.over()) throw busy(output.path, path, holder);
    const took = takeOver(path, text, guard);
    if (took) break;
    if (took === undefined) rounds.waitForClaim();
  }
  heldLocks.set(resolve(path), owner.runId);
  return file;
}

function releaseGuard(guard: LockFile): void {
  heldLocks.delete(resolve(guard.path));
  rmSync(guard.path, { force: true });
  if (guard.made !== undefined) removeEmptyFolders(dirname(guard.path), guard.made);
}

/** The locks this process holds: their resolved paths, and the run each names. */
const heldLocks = new Map<string, string>();

/**
 * The lock at `path` when a run of this process holds it, which it must not take over as a dead
 * run's: the lock still names that run (a test may stand in for its death by rewriting it).
 */
function heldHere(path: string): LockOwner | undefined {
  const runId = heldLocks.get(resolve(path));
  if (runId === undefined) return undefined;
  const holder = parseOwner(readText(path));
  return holder?.pid === process.pid && holder.runId === runId && !holder.handedOn ? holder : undefined;
}

/**
 * The lock for rows written outside a run (a decision made by hand), taken as a run takes it.
 * Undefined when a run of this process holds it: its rows are written by this process too, and
 * the caller queues its own with them (the extension has one sink per file), so nothing is
 * written beside them. Throws, as lockOutputs does, when a live run of another process holds it.
 */
export function lockOutsideRun(trace: string, runId: string, traceField?: string, others: readonly GuardedOutput[] = []): OutputLock | undefined {
  return heldHere(`${trace}.lock`) ? undefined : lockOutputs(trace, runId, traceField, others);
}

/**
 * What a run says when it could not restore the rows of the crashed runs it took the lock over
 * from (a full disk, say): its lock is kept (see release), and the next run restores them.
 */
export function restoreFailed(trace: string, crashedRunIds: readonly string[], cause: unknown): Error {
  const runs = `${plural(crashedRunIds.length, 'an interrupted run', 'interrupted runs')} (${crashedRunIds.join(', ')})`;
  const reason = errorText(cause);
  return new Error(`could not restore the SFT rows and preference pairs that ${runs} had not written after their trace rows: ${reason}. The lock ${trace}.lock is kept, so the next run on these outputs restores them: fix the cause and run again`, { cause });
}

/** Rounds of create, read, take over; each round ends in a create or a wait of TAKEOVER_WAIT_MS. */
const MAX_TRIES = 200;
const TAKEOVER_WAIT_MS = 5;
/** A takeover claim that cannot be read and is this old was left by a run killed inside it. */
const STALE_CLAIM_MS = 10_000;
/** Rounds spent waiting on another run's takeover claim: enough to outlast one nobody will finish (see abandoned). */
const MAX_CLAIM_WAITS = Math.ceil(STALE_CLAIM_MS / TAKEOVER_WAIT_MS) + MAX_TRIES;

/**
 * The rounds of a lock's create, read and takeover. A round spent waiting on another run's claim
 * does not count as a try: a claim a run was killed in the middle of writing cannot be read,
 * and is waited out for STALE_CLAIM_MS (abandoned), longer than MAX_TRIES rounds last; given up
 * on sooner, the lock's dead holder was named as a live run writing the outputs.
 */
class Rounds {
  private rounds = 0;
  private claimWaits = 0;

  next(): void {
    this.rounds++;
  }

  waitForClaim(): void {
    sleep(TAKEOVER_WAIT_MS);
    this.claimWaits++;
  }

  over(): boolean {
    return this.rounds - this.claimWaits >= MAX_TRIES || this.claimWaits >= MAX_CLAIM_WAITS;
  }
}

/** Creates the lock file if there is none; false when one exists. */
function created(path: string, owner: LockOwner): boolean {
  try {
    writeFileSync(path, JSON.stringify(owner), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Times the lock's folder may vanish between making it and creating the lock (see LockFile.create). */
const FOLDER_GONE_TRIES = 3;

/** What the lock's own errors call it (see OutputFileError). */
function lockLabel(traceField: string): string {
  return `the run's lock, beside ${traceField}`;
}

/**
 * Replaces a dead run's lock with ours if it still holds `text`. Runs starting after the same
 * crash all find the dead lock; reading it again and replacing it must be one step, or one run
 * could replace the lock another had just taken, and both would write. A claim file, created
 * exclusively and holding our lock, makes it one: it is renamed over the dead lock, which both
 * replaces the lock (so the lock file never goes missing: a run starting meanwhile cannot create
 * a fresh one and miss the crashed run's rows) and ends the claim. Returns undefined when
 * another run holds the claim.
 */
function takeOver(path: string, text: string | undefined, owner: LockOwner): boolean | undefined {
  const claim = `${path}.takeover`;
  if (!created(claim, owner)) {
    if (abandoned(claim, owner.host)) rmSync(claim, { recursive: true, force: true });
    return undefined;
  }
  try {
    if (readText(path) !== text) {
      rmSync(claim, { force: true });
      return false;
    }
    renameSync(claim, path);
    return true;
  } catch (error) {
    rmSync(claim, { force: true });
    throw error;
  }
}

/**
 * A claim lasts microseconds: one whose run is gone was left by a run killed inside its takeover,
 * and must not hold the next runs back. One that cannot be read (being written, or left by a run
 * killed before it wrote it, or by a version that claimed with a folder) is left for STALE_CLAIM_MS.
 */
function abandoned(claim: string, host: string): boolean {
  const holder = parseOwner(readText(claim));
  if (holder?.host === host) return !running(holder.pid);
  return ageMs(claim) > STALE_CLAIM_MS;
}

/** Keeps our lock, naming the crashed runs, for any run to take over (see LockOwner.handedOn). */
function handOver(path: string, held: LockOwner): void {
  const handed: LockOwner = { ...held, handedOn: true };
  try {
    replaceLock(path, handed);
  } catch {
    // A full disk (the usual reason a restore failed) has no room for the new file: write over
    // the lock in place. It only grows, within the block it already has, so it needs no space;
    // a run that reads it half written finds it unreadable and waits, as for any busy lock.
    try {
      writeFileSync(path, JSON.stringify(handed), { flag: 'r+' });
      removeLeftover(path, held.pid);
    } catch {
      // Kept as it was: this window's next run still takes it over (its pid is a dead run's then).
    }
  }
}

/** Rewrites our own lock in one step (a rename), so a run reading it never sees half of it. */
function replaceLock(path: string, owner: LockOwner): void {
  const ours = leftover(path, owner.pid);
  writeFileSync(ours, JSON.stringify(owner));
  renameSync(ours, path);
}

function leftover(path: string, pid: number): string {
  return `${path}.${pid}.tmp`;
}

/** What a dead run killed inside replaceLock left beside its lock. */
function removeLeftover(path: string, pid: number): void {
  rmSync(leftover(path, pid), { force: true });
}

function busy(trace: string, path: string, holder: LockOwner | undefined): Error {
  return new Error(`${trace} is being written by another run (${holderText(holder)}). Wait for it to finish, use other outputs, or delete ${path} if no such run is active.`);
}

/** An output that is another set of outputs' trace: its lock may name crashed runs, never to be deleted. */
function anotherTrace(output: GuardedOutput, path: string, holder: LockOwner): Error {
  return new Error(`${output.path} (${output.field}) is the trace output of another run's outputs (its lock ${path}: ${holderText(holder)}): an output must not be another run's trace; use other outputs.`);
}

function holderText(holder: LockOwner | undefined): string {
  return holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.started}` : 'an unreadable lock';
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Blocks this thread; lockOutputs is synchronous, and a takeover claim is held for microseconds. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The file's text; undefined when it cannot be read, whatever stopped the read (a takeover claim
 * being written; the lock compared inside a takeover, which the next round reads as the lock).
 * Read as the lock (`lock`: what its errors call it), it is none only when it is gone: anything
 * else that stops the read (a folder there, a file we may not read) is no run's lock to wait
 * for, and no wait ends it.
 */
function readText(path: string, lock?: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (lock !== undefined && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputFileError(path, lock, error);
    return undefined;
  }
}

/** A lock as read, its `unrecovered` always there. */
type ReadOwner = LockOwner & Required<Pick<LockOwner, 'unrecovered'>>;

function parseOwner(text: string | undefined): ReadOwner | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    const unrecovered = Array.isArray(value.unrecovered) ? value.unrecovered.filter((id): id is string => typeof id === 'string') : [];
    const guards = typeof value.guards === 'string' ? { guards: value.guards } : {};
    return { pid: value.pid, host: value.host, started: String(value.started), runId: String(value.runId ?? ''), unrecovered, from: parseMarks(value.from), handedOn: value.handedOn === true, ...guards };
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's pid is a live process other than this one. This process cannot hold a lock
 * it has not taken yet: its own pid in a lock means a run that died before this one reused the
 * pid (a container restarted with the same hostname, where every run is pid 1).
 */
function running(pid: number): boolean {
  // A zombie (a run killed in a container whose PID 1 reaps no child) is no live run: see processAlive.
  return pid !== process.pid && processAlive(pid);
}
