/**
 * The single writer of a run folder `<outDir>/<runId>/`:
 *   config.json   the ResolvedConfig, written first
 *   run.json      writer pid (+ its start time) and status, so readers can tell a live run
 *                 from an interrupted one; `error` says what could not be written
 *   events.jsonl  append-only; each event is written with a synchronous write to the file
 *                 descriptor, so a crash of this process loses nothing already appended
 *   summary.json  rewritten atomically (temp file + rename) after every jobEnd and at the end
 *   report.html   at the end, by the report writer
 * Every file is created exclusively or replaced by rename (src/runner/safeFile.ts): nothing
 * outside the folder is written through a symlink. A failed append (a full disk) is not thrown
 * at the caller (it arrives in an IPC callback): it is kept in `failure`, events.jsonl is cut
 * back to its last whole line, and the scheduler stops the run. A reserve file (RESERVE_BYTES,
 * made at the start) is then freed so that how the run ended (each job's jobEnd, the runEnd)
 * still fits; once that space is used up too, later appends are dropped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { encodeEvent, type ActlabEvent, type RunStatus } from '../core/protocol';
import type { Summary } from '../core/summary';
import {
  createAppendOnly, overwriteInPlace, processStartTime, refuseNonRegular, storageError, writeAll, writeFileAtomic, type StorageError,
} from './safeFile';

export { writeFileAtomic } from './safeFile';

export const CONFIG_FILE = 'config.json';
export const EVENTS_FILE = 'events.jsonl';
export const SUMMARY_FILE = 'summary.json';
export const RUN_FILE = 'run.json';
export const REPORT_FILE = 'report.html';
/** Space held while the run is live, freed when the disk fills: room for a few hundred endings. */
export const RESERVE_FILE = '.reserve';
export const RESERVE_BYTES = 64 * 1024;

/** What run.json holds. */
export interface RunLock {
  v: 1;
  runId: string;
  name: string;
  pid: number;
  /** The writer's start time (Linux clock ticks since boot): a reused pid is not the writer. */
  pidStart?: string;
  hostname: string;
  status: RunStatus;
  /** ISO timestamps. */
  started: string;
  ended?: string;
  /** What could not be written (a full disk), in words. */
  error?: string;
}

/** A filesystem-safe, readable slug of a config name. */
export function slugify(name: string): string {
  const s = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return s || 'run';
}

/** `2026-11-22T06-30-01-quickstart`: sorts by start time (UTC), reads at a glance. */
export function makeRunId(name: string, now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${stamp}-${slugify(name)}`;
}

/**
 * mkdir -p, one level at a time: a recursive mkdir on a read-only file system reports ENOENT
 * ("it does not exist") where the truth is EROFS.
 */
function makeFolders(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeFolders(parent);
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/**
 * Creates and returns `<outDir>/<runId>/`. Without an explicit runId, one is made from the time
 * and the config name; `mkdir` (not recursive) claims it atomically, and a taken name gets a
 * suffix. Shared by local runs and planned (cluster) runs, so both name folders alike.
 */
export function claimRunDir(outDir: string, name: string, runId?: string): string {
  makeFolders(outDir);
  if (runId !== undefined) {
    const dir = path.join(outDir, runId);
    fs.mkdirSync(dir);
    return dir;
  }
  const base = makeRunId(name);
  for (let i = 1; ; i++) {
    const dir = path.join(outDir, i === 1 ? base : `${base}-${i}`);
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    return dir;
  }
}

/** summary.json's text. Non-finite numbers cannot be JSON; null says "not finite" as in events.jsonl. */
export function summaryJson(summary: Summary): string {
  return `${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * A cluster job's events file (jobs/<i>/events.jsonl): one synchronous write per event, so a
 * killed task loses nothing already appended. 'w' starts it again (a rerun replaces that job's
 * record): the old file is unlinked first and the new one created exclusively, never through a
 * link. 'a' continues an existing file.
 */
export class EventLog {
  private readonly fd: number;
  private closed = false;

  constructor(readonly file: string, flags: 'a' | 'w' = 'a') {
    refuseNonRegular(file);
    if (flags === 'w') fs.rmSync(file, { force: true });
    this.fd = flags === 'w' || !fs.existsSync(file)
      ? createAppendOnly(file)
      : fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW);
  }

  append(e: ActlabEvent): void {
    if (this.closed) return;
    writeAll(this.fd, Buffer.from(`${encodeEvent(e)}\n`));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

export class RunStore {
  readonly runId: string;
  readonly runDir: string;
  /** The append to events.jsonl that failed; nothing is appended after it. */
  failure: StorageError | undefined;
  private readonly fd: number;
  private readonly lock: RunLock;
  private readonly eventsFile: string;
  /** Bytes of whole lines in events.jsonl: a failed append is cut back to this. */
  private size = 0;
  /** Set when even the reserve's space is used up: nothing more is appended. */
  private full = false;
  private closed = false;

  private constructor(runId: string, runDir: string, config: ResolvedConfig) {
    this.runId = runId;
    this.runDir = runDir;
    this.eventsFile = path.join(runDir, EVENTS_FILE);
    writeFileAtomic(path.join(runDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    const pidStart = processStartTime(process.pid);
    this.lock = {
      v: 1, runId, name: config.name, pid: process.pid, ...(pidStart ? { pidStart } : {}), hostname: os.hostname(),
      status: 'running', started: new Date().toISOString(),
    };
    writeFileAtomic(path.join(runDir, RUN_FILE), `${JSON.stringify(this.lock, null, 2)}\n`);
    writeFileAtomic(path.join(runDir, RESERVE_FILE), '\n'.repeat(RESERVE_BYTES));
    this.fd = createAppendOnly(this.eventsFile);
  }

  /** A folder that could not be set up (a full disk at the start) holds nothing of value. */
  private static open(runId: string, dir: string, config: ResolvedConfig): RunStore {
    try {
      return new RunStore(runId, dir, config);
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Creates `<outDir>/<runId>/` (see claimRunDir) and starts writing it. */
  static create(outDir: string, config: ResolvedConfig, runId?: string): RunStore {
    const dir = claimRunDir(outDir, config.name, runId);
    return RunStore.open(path.basename(dir), dir, config);
  }

  append(e: ActlabEvent): void {
    this.appendMany([e]);
  }

  /** Appends events with one write (a cancelled sweep's thousands of jobEnds at once). */
  appendMany(events: readonly ActlabEvent[]): void {
    if (this.closed || this.full || events.length === 0) return;
    let text = '';
    for (const e of events) text += `${encodeEvent(e)}\n`;
    const data = Buffer.from(text);
    const err = this.tryAppend(data);
    if (!err) return;
    if (!this.failure) {
      this.failure = storageError(err, 'writing', this.eventsFile);
      // The first failure: the reserve makes room for these events and the run's ending.
      if (this.freeReserve() && !this.tryAppend(data)) return;
    }
    this.full = true;
  }

  /** Appends whole lines or nothing: a partial line would read as damage. */
  private tryAppend(data: Buffer): unknown {
    try {
      writeAll(this.fd, data);
      this.size += data.length;
      return undefined;
    } catch (err) {
      try { fs.ftruncateSync(this.fd, this.size); } catch { /* the lines before it are intact */ }
      return err;
    }
  }

  private freeReserve(): boolean {
    try {
      fs.unlinkSync(path.join(this.runDir, RESERVE_FILE));
      return true;
    } catch {
      return false;
    }
  }

  /** Throws a StorageError when summary.json cannot be written (the caller decides how bad). */
  writeSummary(summary: Summary): void {
    writeFileAtomic(path.join(this.runDir, SUMMARY_FILE), summaryJson(summary));
  }

  /**
   * Records the final status (and what could not be written) in run.json and closes
   * events.jsonl. On a disk too full for a temporary file, run.json is rewritten in place.
   * Returns the error when even that failed.
   */
  finish(status: RunStatus, error?: string): StorageError | undefined {
    if (this.closed) return undefined;
    this.closed = true;
    try { fs.closeSync(this.fd); } catch { /* every write was synchronous already */ }
    this.freeReserve();
    this.lock.status = status;
    this.lock.ended = new Date().toISOString();
    if (error) this.lock.error = error;
    const file = path.join(this.runDir, RUN_FILE);
    const text = `${JSON.stringify(this.lock, null, 2)}\n`;
    try {
      writeFileAtomic(file, text);
    } catch (e) {
      if ((e as StorageError).code === 'ELOOP' || (e as StorageError).code === 'EINVAL') return e as StorageError;
      try { overwriteInPlace(file, text); } catch (e2) { return e2 as StorageError; }
    }
    return undefined;
  }
}
