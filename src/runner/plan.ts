/**
 * `actlab plan`: a run folder with every job and no training — what cluster tasks pick their job
 * from. config.json is the same as a local run's, plus each job's `index` (its place in `jobs`,
 * the number a Slurm array task or an Indexed Job pod is given); run.json says 'planned'.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendChoice, JobSpec, ResolvedConfig } from '../core/config';
import { JOBS_DIR, type PlannedRunLock } from './jobFiles';
import { CONFIG_FILE, RUN_FILE, claimRunDir, writeFileAtomic } from './runStore';

/** A job as config.json of a planned run lists it. */
export type IndexedJob = JobSpec & { index: number };

export interface PlanOptions {
  resolved: ResolvedConfig;
  outDir: string;
  /** Recorded in every job, as `actlab run --backend` does. */
  backend?: BackendChoice;
  runId?: string;
}

export interface PlannedRun {
  runId: string;
  runDir: string;
  jobs: number;
}

export function writeRunLock(runDir: string, lock: PlannedRunLock): void {
  writeFileAtomic(path.join(runDir, RUN_FILE), `${JSON.stringify(lock, null, 2)}\n`);
}

export function planRun(opts: PlanOptions): PlannedRun {
  const { resolved, backend } = opts;
  const runDir = claimRunDir(opts.outDir, resolved.name, opts.runId);
  const runId = path.basename(runDir);
  const jobs: IndexedJob[] = resolved.jobs.map((j, index) => ({ ...j, ...(backend ? { backend } : {}), index }));
  const config: ResolvedConfig = { ...resolved, jobs };
  fs.writeFileSync(path.join(runDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  fs.mkdirSync(path.join(runDir, JOBS_DIR));
  writeRunLock(runDir, {
    v: 1, runId, name: resolved.name, pid: process.pid, hostname: os.hostname(), status: 'planned',
    started: new Date().toISOString(), jobs: jobs.length,
  });
  return { runId, runDir, jobs: jobs.length };
}

/** The job a task runs, without its `index` (the trainer's start message carries a JobSpec). */
export function plannedJob(config: ResolvedConfig, index: number): JobSpec {
  const job = config.jobs[index] as IndexedJob | undefined;
  if (!job) throw new RangeError(`job index ${index} is out of range: the run has ${config.jobs.length} job(s) (0–${config.jobs.length - 1})`);
  const { index: _index, ...spec } = job;
  return spec;
}
