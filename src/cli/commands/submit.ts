import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { K8S_DEFAULT_IMAGE, K8S_DEFAULT_PVC, K8S_MANIFEST, k8sManifest } from '../../cluster/k8s';
import { SLURM_LOG_DIR, SLURM_SCRIPT, parseSbatchJobId, slurmScript } from '../../cluster/slurm';
import { readRunLock } from '../../runner/jobFiles';
import { readPlannedConfig } from '../../runner/jobRunner';
import { writeRunLock } from '../../runner/plan';
import { CONFIG_FILE } from '../../runner/runStore';
import { parseCommandArgs, UsageError } from '../usage';
import { actlabArgv } from './merge';

const HELP = `Usage:
  actlab submit slurm <runDir> [--parallel K] [--partition P] [--time T] [--cpus N] [--submit]
  actlab submit k8s <runDir> [--parallel K] [--image IMG] [--pvc NAME] [--cpus N] [--retries R]

Writes how a cluster runs a planned run (actlab plan): one task per job, task i running
actlab run-job <runDir> --index i. The run folder must be on storage every task sees.

  slurm   <runDir>/${SLURM_SCRIPT}: an sbatch script with --array=0-(N-1)%K; one output file per
          task under <runDir>/${SLURM_LOG_DIR}/. --submit runs sbatch and prints the job id.
  k8s     <runDir>/${K8S_MANIFEST}: a batch/v1 Job, completionMode Indexed, the runs folder on
          the PersistentVolumeClaim NAME (ReadWriteMany) at /actlab/runs. Apply it with kubectl.

Options:
  --parallel K    at most K tasks at once (slurm default: no limit; k8s default: all)
  --cpus N        CPUs per task, and the trainer's threads (default 1; the numbers depend on it)
  --partition P   slurm: the partition
  --time T        slurm: the time limit per task (e.g. 30, 1:00:00)
  --submit        slurm: run sbatch (SLURM_CONF and PATH as for any Slurm client)
  --image IMG     k8s: an image with actlab on its PATH (default ${K8S_DEFAULT_IMAGE})
  --pvc NAME      k8s: the claim that holds the runs folder (default ${K8S_DEFAULT_PVC})
  --retries R     k8s: backoffLimitPerIndex, attempts per index after the first (default 1)
  -h, --help      this help
`;

function positiveInt(text: string | undefined, flag: string, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer ≥ ${min}`, HELP);
  return n;
}

/** Runs a Slurm client; its stdout, or undefined after printing why not. */
function slurmClient(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) {
    process.stderr.write(`actlab submit: cannot run ${cmd}: ${r.error.message}\n`);
    return undefined;
  }
  if (r.status !== 0) {
    process.stderr.write(`actlab submit: ${cmd} exited with ${String(r.status)}\n${r.stderr}`);
    return undefined;
  }
  return r.stdout;
}

/**
 * sbatch --hold, record the job id in run.json, then release: a tiny job could otherwise end and
 * merge (writing run.json's final status) before this process records 'submitted' over it.
 */
function submitHeld(runDir: string, script: string, record: (id: string) => void): string | undefined {
  const out = slurmClient('sbatch', ['--parsable', '--hold', script]);
  if (out === undefined) return undefined;
  const id = parseSbatchJobId(out);
  if (!id) {
    process.stderr.write(`actlab submit: no job id in sbatch's output: ${out}\n`);
    return undefined;
  }
  record(id);
  if (slurmClient('scontrol', ['release', id]) === undefined) {
    process.stderr.write(`actlab submit: job ${id} is held; release it with: scontrol release ${id}\n`);
    return undefined;
  }
  return id;
}

export function submitCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, {
    parallel: { type: 'string' },
    cpus: { type: 'string' },
    partition: { type: 'string' },
    time: { type: 'string' },
    submit: { type: 'boolean', default: false },
    image: { type: 'string' },
    pvc: { type: 'string' },
    retries: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, HELP);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [engine, dirArg, ...extra] = positionals;
  if (engine !== 'slurm' && engine !== 'k8s') throw new UsageError('expected slurm or k8s', HELP);
  if (dirArg === undefined || extra.length) throw new UsageError('expected exactly one run folder', HELP);
  const runDir = path.resolve(dirArg);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw new UsageError(`${dirArg} is not a run folder (no ${CONFIG_FILE}); plan one first: actlab plan <config>`, HELP);
  const lock = readRunLock(runDir);
  if (!lock || lock.jobs === undefined) throw new UsageError(`${dirArg} is not a planned run (actlab plan writes one)`, HELP);
  const config = readPlannedConfig(runDir);
  const jobs = config.jobs.length;
  const parallel = positiveInt(values.parallel, '--parallel');
  const cpus = positiveInt(values.cpus, '--cpus') ?? 1;

  if (engine === 'k8s') {
    const out = path.join(runDir, K8S_MANIFEST);
    fs.writeFileSync(out, k8sManifest({
      runId: lock.runId, name: config.name, jobs, parallel: parallel ?? jobs, cpus,
      image: values.image ?? K8S_DEFAULT_IMAGE, pvc: values.pvc ?? K8S_DEFAULT_PVC,
      retries: positiveInt(values.retries, '--retries', 0) ?? 1,
    }));
    process.stdout.write(`${out}\n`);
    return 0;
  }

  fs.mkdirSync(path.join(runDir, SLURM_LOG_DIR), { recursive: true });
  const script = path.join(runDir, SLURM_SCRIPT);
  fs.writeFileSync(script, slurmScript({
    runDir, runId: lock.runId, name: config.name, jobs, actlab: actlabArgv(), cpus,
    ...(parallel !== undefined ? { parallel } : {}),
    ...(values.partition ? { partition: values.partition } : {}),
    ...(values.time ? { time: values.time } : {}),
  }), { mode: 0o755 });
  process.stdout.write(`${script}\n`);
  if (!values.submit) return 0;
  const id = submitHeld(runDir, script, (jobId) => writeRunLock(runDir, {
    ...lock, status: 'submitted', submitted: { engine: 'slurm', id: jobId, at: new Date().toISOString(), parallel: parallel ?? jobs },
  }));
  if (!id) return 1;
  process.stdout.write(`submitted: ${id}\n${id}\n`);
  return 0;
}
