/**
 * The single writer of a run folder `<outDir>/<runId>/`:
 *   config.json   the ResolvedConfig, written first
 *   run.json      writer pid + status, so readers can tell a live run from an interrupted one
 *   events.jsonl  append-only; each event is written with a synchronous write to the file
 *                 descriptor, so a crash of this process loses nothing already appended
 *   summary.json  rewritten atomically (temp file + rename) after every jobEnd and at the end
 *   report.html   at the end, by the report writer
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { encodeEvent, type ActlabEvent, type RunStatus } from '../core/protocol';
import type { Summary } from '../core/summary';

export const CONFIG_FILE = 'config.json';
export const EVENTS_FILE = 'events.jsonl';
export const SUMMARY_FILE = 'summary.json';
export const RUN_FILE = 'run.json';
export const REPORT_FILE = 'report.html';

/** What run.json holds. */
export interface RunLock {
  v: 1;
  runId: string;
  name: string;
  pid: number;
  hostname: string;
  status: RunStatus;
  /** ISO timestamps. */
  started: string;
  ended?: string;
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

/** Writes a file so readers see either the old or the new content, never a partial one. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Creates and returns `<outDir>/<runId>/`. Without an explicit runId, one is made from the time
 * and the config name; `mkdir` (not recursive) claims it atomically, and a taken name gets a
 * suffix. Shared by local runs and planned (cluster) runs, so both name folders alike.
 */
export function claimRunDir(outDir: string, name: string, runId?: string): string {
  fs.mkdirSync(outDir, { recursive: true });
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
 * An append-only events file: one synchronous write per event, so a crash of the writer loses
 * nothing already appended. 'a' continues a file; 'w' starts it again (a rerun of a cluster job
 * replaces that job's record).
 */
export class EventLog {
  private readonly fd: number;
  private closed = false;

  constructor(readonly file: string, flags: 'a' | 'w' = 'a') {
    this.fd = fs.openSync(file, flags);
  }

  append(e: ActlabEvent): void {
    if (this.closed) return;
    fs.writeSync(this.fd, `${encodeEvent(e)}\n`);
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
  private readonly log: EventLog;
  private readonly lock: RunLock;
  private closed = false;

  private constructor(runId: string, runDir: string, config: ResolvedConfig) {
    this.runId = runId;
    this.runDir = runDir;
    fs.writeFileSync(path.join(runDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    this.lock = {
      v: 1, runId, name: config.name, pid: process.pid, hostname: os.hostname(), status: 'running',
      started: new Date().toISOString(),
    };
    writeFileAtomic(path.join(runDir, RUN_FILE), `${JSON.stringify(this.lock, null, 2)}\n`);
    this.log = new EventLog(path.join(runDir, EVENTS_FILE));
  }

  /**
   * Creates `<outDir>/<runId>/` (see claimRunDir) and starts writing it.
   */
  static create(outDir: string, config: ResolvedConfig, runId?: string): RunStore {
    const dir = claimRunDir(outDir, config.name, runId);
    return new RunStore(path.basename(dir), dir, config);
  }

  append(e: ActlabEvent): void {
    this.log.append(e);
  }

  writeSummary(summary: Summary): void {
    writeFileAtomic(path.join(this.runDir, SUMMARY_FILE), summaryJson(summary));
  }

  /** Records the final status in run.json and closes events.jsonl. */
  finish(status: RunStatus): void {
    if (this.closed) return;
    this.closed = true;
    this.log.close();
    this.lock.status = status;
    this.lock.ended = new Date().toISOString();
    writeFileAtomic(path.join(this.runDir, RUN_FILE), `${JSON.stringify(this.lock, null, 2)}\n`);
  }
}
