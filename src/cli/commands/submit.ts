import * as fs from 'node:fs';
import * as path from 'node:path';
import { K8S_DEFAULT_IMAGE, K8S_DEFAULT_PVC, K8S_MANIFEST } from '../../cluster/k8s';
import { SLURM_LOG_DIR, SLURM_SCRIPT } from '../../cluster/slurm';
import { CONFIG_FILE } from '../../runner/runStore';
import { plannedLock, sbatchPlanned, writeK8sManifest, writeSlurmScript } from '../../runner/submit';
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

function intArg(text: string | undefined, flag: string, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer ≥ ${min}`, HELP);
  return n;
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
  try {
    plannedLock(runDir);
  } catch (e) {
    throw new UsageError((e as Error).message, HELP);
  }
  const parallel = intArg(values.parallel, '--parallel');
  const cpus = intArg(values.cpus, '--cpus') ?? 1;

  if (engine === 'k8s') {
    process.stdout.write(`${writeK8sManifest(runDir, {
      cpus, image: values.image ?? K8S_DEFAULT_IMAGE, pvc: values.pvc ?? K8S_DEFAULT_PVC,
      retries: intArg(values.retries, '--retries', 0) ?? 1, ...(parallel !== undefined ? { parallel } : {}),
    })}\n`);
    return 0;
  }
  const script = writeSlurmScript(runDir, {
    actlab: actlabArgv(), cpus,
    ...(parallel !== undefined ? { parallel } : {}),
    ...(values.partition ? { partition: values.partition } : {}),
    ...(values.time ? { time: values.time } : {}),
  });
  process.stdout.write(`${script}\n`);
  if (!values.submit) return 0;
  let id: string;
  try {
    id = sbatchPlanned(runDir, script, parallel);
  } catch (e) {
    process.stderr.write(`actlab submit: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`submitted: ${id}\n${id}\n`);
  return 0;
}
