/**
 * `actlab run-job`: one job of a planned run, trained by the same trainer launch as a local run
 * (startTrainer), its events written by the same EventLog to `<runDir>/jobs/<index>/events.jsonl`.
 * The local scheduler is this with child processes as launchers; a cluster task is this with a
 * Slurm array task or a Kubernetes pod as the launcher.
 *
 * A rerun truncates the job's file when it starts, so the last attempt is the record; a task
 * killed mid-run leaves a file without a jobEnd, which merge reports as not ended.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import type { JobEndEvent, TrainerEvent } from '../core/protocol';
import { JOB_FILE, jobDir, type JobWriterInfo } from './jobFiles';
import { plannedJob } from './plan';
import { CONFIG_FILE, EVENTS_FILE, EventLog, writeFileAtomic } from './runStore';
import { startTrainer } from './trainerProcess';

export interface JobRunOptions {
  runDir: string;
  index: number;
  trainerPath: string;
  threads?: number;
  env?: NodeJS.ProcessEnv;
  onEvent?: (e: TrainerEvent) => void;
}

export interface JobRunHandle {
  readonly jobId: string;
  /** The job's recorded end (see endedFromOutside for a task stopped by its scheduler). */
  readonly done: Promise<JobEndEvent>;
  /** The task is being stopped (SIGTERM from scancel, a time limit, preemption, pod deletion). */
  stop(): void;
}

export function readPlannedConfig(runDir: string): ResolvedConfig {
  return JSON.parse(fs.readFileSync(path.join(runDir, CONFIG_FILE), 'utf8')) as ResolvedConfig;
}

/** The scheduler's id for this task, so a failed job can be traced to its log. */
function taskId(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID) return `slurm ${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  if (env.SLURM_JOB_ID) return `slurm ${env.SLURM_JOB_ID}`;
  if (env.JOB_COMPLETION_INDEX !== undefined && env.HOSTNAME) return `pod ${env.HOSTNAME}`;
  return undefined;
}

/**
 * A job stopped from outside ends 'cancelled' in the trainer's words, but no user cancelled the
 * run: its scheduler ended the task, and the index must be run again. So it is recorded as
 * 'failed' — 'cancelled' would, in the run's status, claim the whole run was cancelled.
 */
function endedFromOutside(e: JobEndEvent, index: number): JobEndEvent {
  return { ...e, status: 'failed', message: `task stopped from outside (${e.message ?? 'cancelled'}); rerun index ${index}` };
}

export function startJobRun(opts: JobRunOptions): JobRunHandle {
  const config = readPlannedConfig(opts.runDir);
  const job = plannedJob(config, opts.index);
  const dir = jobDir(opts.runDir, opts.index);
  fs.mkdirSync(dir, { recursive: true });
  const env = opts.env ?? process.env;
  const writer: JobWriterInfo = {
    v: 1, index: opts.index, jobId: job.jobId, host: os.hostname(), pid: process.pid, started: new Date().toISOString(),
  };
  const task = taskId(env);
  if (task) writer.task = task;
  writeFileAtomic(path.join(dir, JOB_FILE), `${JSON.stringify(writer, null, 2)}\n`);
  const log = new EventLog(path.join(dir, EVENTS_FILE), 'w');

  let stopped = false;
  const record = (e: TrainerEvent): void => {
    const ev = e.type === 'jobEnd' && e.status === 'cancelled' ? endedFromOutside(e, opts.index) : e;
    log.append(ev);
    if (ev.type === 'jobEnd') log.close();
    try { opts.onEvent?.(ev); } catch { /* a faulty listener must not lose the record */ }
  };
  const tp = startTrainer({ trainerPath: opts.trainerPath, job, env, threads: opts.threads, onEvent: record });
  const done = tp.done.then((end) => {
    log.close();
    return end.status === 'cancelled' ? endedFromOutside(end, opts.index) : end;
  });
  return {
    jobId: job.jobId,
    done,
    stop: () => {
      if (stopped) tp.kill();
      else tp.cancel();
      stopped = true;
    },
  };
}
