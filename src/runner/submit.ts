/**
 * Submitting a planned run, shared by `actlab submit` and the editor's "Submit to Slurm…" /
 * "…to Kubernetes…": the sbatch script or the Job manifest written into the run folder (the
 * builders are src/cluster's, pure), and sbatch itself.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { K8S_MANIFEST, k8sManifest, type K8sJobOptions } from '../cluster/k8s';
import { SLURM_LOG_DIR, SLURM_SCRIPT, parseSbatchJobId, slurmScript, type SlurmScriptOptions } from '../cluster/slurm';
import { readRunLock, type PlannedRunLock } from './jobFiles';
import { readPlannedConfig } from './jobRunner';
import { writeRunLock } from './plan';

export type SlurmChoices = Omit<SlurmScriptOptions, 'runDir' | 'runId' | 'name' | 'jobs'>;
export type K8sChoices = Omit<K8sJobOptions, 'runId' | 'name' | 'jobs'>;

/** run.json of a planned run, or an error saying why the folder is not one. */
export function plannedLock(runDir: string): PlannedRunLock {
  const lock = readRunLock(runDir);
  if (!lock || typeof lock.jobs !== 'number') throw new Error(`${runDir} is not a planned run (actlab plan writes one)`);
  return lock;
}

/** Writes <runDir>/slurm.sh (and the logs/ folder its tasks write to); returns its path. */
export function writeSlurmScript(runDir: string, choices: SlurmChoices): string {
  const lock = plannedLock(runDir);
  const config = readPlannedConfig(runDir);
  fs.mkdirSync(path.join(runDir, SLURM_LOG_DIR), { recursive: true });
  const file = path.join(runDir, SLURM_SCRIPT);
  fs.writeFileSync(file, slurmScript({ ...choices, runDir, runId: lock.runId, name: config.name, jobs: config.jobs.length }), { mode: 0o755 });
  return file;
}

/** Writes <runDir>/k8s-job.yaml; returns its path. `parallel` defaults to every job at once. */
export function writeK8sManifest(runDir: string, choices: Omit<K8sChoices, 'parallel'> & { parallel?: number }): string {
  const lock = plannedLock(runDir);
  const config = readPlannedConfig(runDir);
  const jobs = config.jobs.length;
  const file = path.join(runDir, K8S_MANIFEST);
  fs.writeFileSync(file, k8sManifest({ ...choices, parallel: choices.parallel ?? jobs, runId: lock.runId, name: config.name, jobs }));
  return file;
}

/** Whether a Slurm client is on PATH here. */
export function hasSbatch(env: NodeJS.ProcessEnv = process.env): boolean {
  const r = spawnSync('sbatch', ['--version'], { encoding: 'utf8', env });
  return !r.error && r.status === 0;
}

function client(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${String(r.status)}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * sbatch --hold, record 'submitted' with the job id in run.json, then release: a tiny job could
 * otherwise end and merge (writing run.json's final status) before 'submitted' is written over it.
 * Returns the job id; throws with what went wrong (a held job says how to release it).
 */
export function sbatchPlanned(runDir: string, script: string, parallel: number | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const lock = plannedLock(runDir);
  const out = client('sbatch', ['--parsable', '--hold', script], env);
  const id = parseSbatchJobId(out);
  if (!id) throw new Error(`no job id in sbatch's output: ${out.trim()}`);
  writeRunLock(runDir, { ...lock, status: 'submitted', submitted: { engine: 'slurm', id, at: new Date().toISOString(), parallel: parallel ?? lock.jobs } });
  try {
    client('scontrol', ['release', id], env);
  } catch (e) {
    throw new Error(`job ${id} is held (${(e as Error).message}); release it with: scontrol release ${id}`);
  }
  return id;
}
