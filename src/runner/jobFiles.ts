/**
 * A planned (cluster) run folder: one sub-folder per job, each with exactly one writer — the
 * `actlab run-job` task of that index — so tasks on different machines never write the same file.
 *
 *   <runDir>/jobs/<index>/events.jsonl   the job's protocol events, jobStart … jobEnd; a rerun
 *                                        truncates it, so the last attempt is the record
 *   <runDir>/jobs/<index>/job.json       who writes it (host, pid, scheduler ids), written first
 *
 * A file without a jobEnd is a job still running or a task that was killed; on the writer's own
 * host the two are told apart by its pid, elsewhere it counts as running until merge says
 * otherwise.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobSpec, ResolvedConfig } from '../core/config';
import { isNum, isObj, isStr } from '../core/guards';
import type { ActlabEvent, JobEndEvent, JobStatus, RunStatus } from '../core/protocol';
import { EVENTS_FILE, RUN_FILE, type RunLock } from './runStore';
import { parseEventsText, pidAlive } from './runs';

export const JOBS_DIR = 'jobs';
export const JOB_FILE = 'job.json';

/** A planned run's life in run.json: planned → submitted → the merged (final) status. */
export type ClusterState = 'planned' | 'submitted';
export const isClusterState = (s: string | undefined): s is ClusterState => s === 'planned' || s === 'submitted';

/** run.json of a planned run: a RunLock whose status may also be planned or submitted. */
export interface PlannedRunLock extends Omit<RunLock, 'status'> {
  status: RunStatus | ClusterState;
  /** Jobs in config.json (the array indices 0…jobs-1). */
  jobs: number;
  /** Set by `actlab submit … --submit`. */
  submitted?: { engine: 'slurm' | 'k8s'; id: string; at: string; parallel: number };
  /** Set by merge: when and with what result it last ran. */
  merged?: { at: string; complete: boolean };
}

/** What a job's folder says about it. */
export type JobFileState = JobStatus | 'running' | 'interrupted' | 'pending';

export interface JobFileRecord {
  index: number;
  jobId: string;
  state: JobFileState;
  events: ActlabEvent[];
  warnings: string[];
  end?: JobEndEvent;
  writer?: JobWriterInfo;
}

/** job.json: written by run-job before the trainer starts. */
export interface JobWriterInfo {
  v: 1;
  index: number;
  jobId: string;
  host: string;
  pid: number;
  /** ISO timestamp. */
  started: string;
  /** SLURM_JOB_ID, or the pod's HOSTNAME under Kubernetes: where to look for the task's log. */
  task?: string;
}

export const jobDir = (runDir: string, index: number): string => path.join(runDir, JOBS_DIR, String(index));
export const jobEventsFile = (runDir: string, index: number): string => path.join(jobDir(runDir, index), EVENTS_FILE);

/** A run folder is a planned one when run.json says so or it has a jobs/ folder. */
export function isPlannedRun(runDir: string): boolean {
  const lock = readRunLock(runDir);
  return isClusterState(lock?.status) || fs.existsSync(path.join(runDir, JOBS_DIR));
}

export function readRunLock(runDir: string): PlannedRunLock | undefined {
  try {
    const x: unknown = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILE), 'utf8'));
    return isObj(x) && isStr(x.runId) && isStr(x.status) && isNum(x.pid) ? x as unknown as PlannedRunLock : undefined;
  } catch {
    return undefined;
  }
}

function readWriter(dir: string): JobWriterInfo | undefined {
  try {
    const x: unknown = JSON.parse(fs.readFileSync(path.join(dir, JOB_FILE), 'utf8'));
    return isObj(x) && isStr(x.host) && isNum(x.pid) ? x as unknown as JobWriterInfo : undefined;
  } catch {
    return undefined;
  }
}

/** One job's record from its folder; `pending` when it never started. */
export function readJobFile(runDir: string, index: number, job: Pick<JobSpec, 'jobId'>): JobFileRecord {
  const dir = jobDir(runDir, index);
  const rec: JobFileRecord = { index, jobId: job.jobId, state: 'pending', events: [], warnings: [] };
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, EVENTS_FILE), 'utf8');
  } catch {
    return rec;
  }
  rec.writer = readWriter(dir);
  // Only this job's events (and job-less logs) count: anything else in the file is not its record.
  rec.events = parseEventsText(text, rec.warnings).filter((e) => e.type !== 'runStart' && e.type !== 'runEnd' && (e.jobId === undefined || e.jobId === job.jobId));
  rec.end = rec.events.find((e): e is JobEndEvent => e.type === 'jobEnd');
  if (rec.end) rec.state = rec.end.status;
  else rec.state = rec.writer && rec.writer.host === os.hostname() && !pidAlive(rec.writer.pid) ? 'interrupted' : 'running';
  return rec;
}

export function readJobFiles(runDir: string, config: ResolvedConfig): JobFileRecord[] {
  return config.jobs.map((j, i) => readJobFile(runDir, i, j));
}

export interface JobProgress {
  total: number;
  /** Ended completed (or diverged: a result, not a fault). */
  done: number;
  running: number;
  /** Ended failed or cancelled, or killed without an end (on this host). */
  failed: number;
  pending: number;
}

/** "4/6 done · 1 running · 1 failed · 0 pending": what `actlab list` and the Runs view show. */
export function formatJobProgress(p: JobProgress): string {
  return `${p.done}/${p.total} done · ${p.running} running · ${p.failed} failed · ${p.pending} pending`;
}

export function jobProgress(records: readonly JobFileRecord[]): JobProgress {
  const p: JobProgress = { total: records.length, done: 0, running: 0, failed: 0, pending: 0 };
  for (const r of records) {
    if (r.state === 'completed' || r.state === 'diverged') p.done++;
    else if (r.state === 'running') p.running++;
    else if (r.state === 'pending') p.pending++;
    else p.failed++;
  }
  return p;
}

/** Whether every job has a jobEnd: the moment a run can be merged to its final status. */
export const allJobsEnded = (records: readonly JobFileRecord[]): boolean => records.every((r) => r.end !== undefined);
