/**
 * The sbatch script of a planned run: one Slurm job array, task i runs `actlab run-job <runDir>
 * --index $SLURM_ARRAY_TASK_ID`. Everything is an absolute path, because a task starts on another
 * node in another working directory; the run folder must be at the same path on every node.
 */
import { shellCommand, shellQuote } from './shell';

export const SLURM_SCRIPT = 'slurm.sh';
/** Under the run folder: one output file per array task and attempt (%A is the array's job id). */
export const SLURM_LOG_DIR = 'logs';

export interface SlurmScriptOptions {
  runDir: string;
  runId: string;
  name: string;
  jobs: number;
  /** How to start actlab on a node: e.g. [process.execPath, '/abs/bin/actlab.js']. */
  actlab: readonly string[];
  /** At most this many tasks at once (`%K`); none: as many as the cluster gives. */
  parallel?: number;
  partition?: string;
  /** Slurm's --time, e.g. `30` (minutes) or `1:00:00`. */
  time?: string;
  /** CPUs per task; the job trains on as many threads. */
  cpus: number;
}

/** The --array value: all indices, at most K at once. */
export const slurmArray = (jobs: number, parallel?: number): string =>
  `${jobs === 1 ? '0' : `0-${jobs - 1}`}${parallel !== undefined ? `%${parallel}` : ''}`;

/** '%' starts a Slurm filename pattern; a literal one is '%%'. */
const slurmPath = (p: string): string => p.replace(/%/g, '%%');

/** An #SBATCH value; sbatch reads these lines itself, so quote only what needs it. */
const sbatchValue = (v: string): string => (/\s/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);

export function slurmScript(o: SlurmScriptOptions): string {
  if (o.jobs < 1) throw new RangeError('a run without jobs has nothing to submit');
  const script = `${o.runDir}/${SLURM_SCRIPT}`;
  const task = shellCommand([...o.actlab, 'run-job', o.runDir]);
  const sbatch = [
    `--job-name=${sbatchValue(`actlab-${o.runId}`.slice(0, 100))}`,
    `--array=${slurmArray(o.jobs, o.parallel)}`,
    `--output=${sbatchValue(`${slurmPath(`${o.runDir}/${SLURM_LOG_DIR}`)}/slurm-%A_%a.out`)}`,
    // The submitter's working directory may not exist on the nodes; the run folder does.
    `--chdir=${sbatchValue(slurmPath(o.runDir))}`,
    '--ntasks=1',
    `--cpus-per-task=${o.cpus}`,
    ...(o.partition ? [`--partition=${sbatchValue(o.partition)}`] : []),
    ...(o.time ? [`--time=${sbatchValue(o.time)}`] : []),
  ];
  return [
    '#!/bin/bash',
    `# Activation Lab: "${o.name.replace(/\n/g, ' ')}", ${o.jobs} job(s) as one Slurm job array (written by actlab submit slurm).`,
    '# Array task i trains job i of config.json into jobs/<i>/events.jsonl; the last task to end merges.',
    `#   submit:        sbatch ${shellQuote(script)}`,
    `#   rerun some:    sbatch --array=3,5 ${shellQuote(script)}      (the command line overrides --array below)`,
    `#   merge by hand: ${shellCommand([...o.actlab, 'merge', o.runDir])}`,
    '# The run folder must be on a file system every node sees, at this same path.',
    ...sbatch.map((s) => `#SBATCH ${s}`),
    'set -eu',
    // exec: the task's signals (scancel, the time limit) reach run-job directly.
    `exec ${task} --index "$SLURM_ARRAY_TASK_ID" --threads "\${SLURM_CPUS_PER_TASK:-${o.cpus}}"`,
    '',
  ].join('\n');
}

/** `Submitted batch job 123` or, with --parsable, `123` or `123;cluster`: the job id. */
export function parseSbatchJobId(stdout: string): string | undefined {
  const m = /(?:Submitted batch job\s+)?(\d+)(?:;\S+)?\s*$/.exec(stdout.trim());
  return m?.[1];
}
