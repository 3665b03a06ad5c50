/**
 * Reading run folders (never writing them): the list of runs and one run's full record.
 * Tolerant by design: a run folder may belong to a run still writing, or one that crashed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { isNum, isObj, isStr } from '../core/guards';
import type { ActlabEvent, RunStatus } from '../core/protocol';
import type { Summary } from '../core/summary';
import { isClusterState, jobProgress, readJobFiles, type ClusterState, type JobProgress } from './jobFiles';
import { readEventsFile } from './eventsFile';
import { processStartTime } from './safeFile';
import { CONFIG_FILE, EVENTS_FILE, RUN_FILE, SUMMARY_FILE, type RunLock } from './runStore';

export type RunListStatus = RunStatus | 'interrupted';

export interface RunInfo {
  runId: string;
  runDir: string;
  name: string;
  status: RunListStatus;
  /** ISO timestamp. */
  started: string;
  jobsDone: number;
  jobsTotal: number;
  best?: { armId: string; label: string; metric: 'testAccuracy' | 'testLoss'; value: number };
  /**
   * A planned (cluster) run not merged yet: its state in run.json and its jobs' progress from
   * jobs/ (status is then 'running': its tasks may be running anywhere).
   */
  cluster?: { state: ClusterState } & JobProgress;
}

export interface RunRecord {
  config: ResolvedConfig;
  events: ActlabEvent[];
  summary?: Summary;
  warnings: string[];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isRunLock(x: unknown): x is RunLock {
  return isObj(x) && isStr(x.runId) && isNum(x.pid) && isStr(x.status);
}

function isSummary(x: unknown): x is Summary {
  return isObj(x) && x.v === 1 && isStr(x.status) && Array.isArray(x.arms);
}

/** Whether a process with this pid exists (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether run.json's writer is alive: its pid exists and, where run.json recorded the start
 * time (Linux), the process with that pid started then (a reused pid is another process).
 */
export function writerAlive(lock: Pick<RunLock, 'pid' | 'pidStart'>): boolean {
  if (!pidAlive(lock.pid)) return false;
  if (lock.pidStart === undefined) return true;
  const now = processStartTime(lock.pid);
  return now === undefined || now === lock.pidStart;
}

/** A run left 'running' whose writer is gone (on this host) was interrupted. */
export function liveStatus(lock: RunLock): RunListStatus {
  if (lock.status !== 'running') return lock.status;
  if (lock.hostname && lock.hostname !== os.hostname()) return 'running'; // cannot tell from here
  return writerAlive(lock) ? 'running' : 'interrupted';
}

export function runInfo(runDir: string): RunInfo | undefined {
  const lockRaw = readJson(path.join(runDir, RUN_FILE));
  const configRaw = readJson(path.join(runDir, CONFIG_FILE));
  const summaryRaw = readJson(path.join(runDir, SUMMARY_FILE));
  if (!isObj(configRaw) && !isRunLock(lockRaw)) return undefined; // not a run folder
  const lock = isRunLock(lockRaw) ? lockRaw : undefined;
  const summary = isSummary(summaryRaw) ? summaryRaw : undefined;
  const runId = path.basename(runDir);
  const name = lock?.name ?? (isObj(configRaw) && typeof configRaw.name === 'string' ? configRaw.name : runId);
  const jobsTotal = isObj(configRaw) && Array.isArray(configRaw.jobs) ? configRaw.jobs.length : 0;

  // run.json of a planned run may say 'planned' or 'submitted', which RunStatus does not have.
  const state: string | undefined = lock?.status;
  if (lock && isClusterState(state) && isObj(configRaw)) return plannedRunInfo(runDir, lock, state, configRaw as unknown as ResolvedConfig);

  let status: RunListStatus;
  if (lock) status = liveStatus(lock);
  else if (summary && summary.status !== 'running') status = summary.status;
  else status = 'interrupted';

  let jobsDone = 0;
  for (const a of summary?.arms ?? []) {
    for (const s of Object.values(a.statuses)) if (s !== 'running' && s !== 'queued') jobsDone++;
  }

  let started = lock?.started;
  if (!started) {
    try { started = fs.statSync(runDir).birthtime.toISOString(); } catch { started = ''; }
  }
  const info: RunInfo = { runId, runDir, name, status, started, jobsDone, jobsTotal };
  if (summary?.best && typeof summary.best.value === 'number') {
    const arm = summary.arms.find((a) => a.armId === summary.best?.armId);
    info.best = { ...summary.best, label: arm?.label ?? summary.best.armId };
  }
  return info;
}

/** A planned run's progress comes from its job files (no summary.json before the merge). */
function plannedRunInfo(runDir: string, lock: RunLock, state: ClusterState, config: ResolvedConfig): RunInfo {
  const progress = jobProgress(readJobFiles(runDir, config));
  return {
    runId: path.basename(runDir), runDir, name: lock.name, status: 'running', started: lock.started,
    jobsDone: progress.done + progress.failed, jobsTotal: progress.total,
    cluster: { state, ...progress },
  };
}

/** The runs under outDir, newest first. A missing outDir has no runs. */
export function listRuns(outDir: string): RunInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(outDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const runs = names.map((n) => runInfo(path.join(outDir, n))).filter((r): r is RunInfo => r !== undefined);
  return runs.sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : b.runId.localeCompare(a.runId)));
}

export { parseEventsText } from './eventsFile';

/** One run's record. Throws when config.json or events.jsonl exists but cannot be read. */
export function readRun(runDir: string): RunRecord {
  const configText = fs.readFileSync(path.join(runDir, CONFIG_FILE), 'utf8');
  const config = JSON.parse(configText) as ResolvedConfig;
  const warnings: string[] = [];
  // Missing is a warning (a run that crashed before its first event); unreadable throws.
  const read = readEventsFile(path.join(runDir, EVENTS_FILE), warnings, EVENTS_FILE);
  if (!read) warnings.push(`${EVENTS_FILE} missing`);
  const events = read ?? [];
  const summaryRaw = readJson(path.join(runDir, SUMMARY_FILE));
  const record: RunRecord = { config, events, warnings };
  if (isSummary(summaryRaw)) record.summary = summaryRaw;
  return record;
}
