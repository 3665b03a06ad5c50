import * as fs from 'node:fs';
import * as path from 'node:path';
import { K8S_DEFAULT_IMAGE, K8S_DEFAULT_PVC, K8S_MANIFEST } from '../../cluster/k8s';
import { SLURM_LOG_DIR, SLURM_SCRIPT } from '../../cluster/slurm';
import { CONFIG_FILE } from '../../runner/runStore';
import { plannedLock, sbatchPlanned, writeK8sManifest, writeSlurmScript } from '../../runner/submit';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { parseCommandArgs, UsageError } from '../usage';
import { actlabArgv } from './merge';

export const SUBMIT_HELP: CommandHelp = {
  name: 'submit',
  summary: 'write (and submit) a Slurm job array or a Kubernetes Indexed Job for a planned run',
  usage: 'submit slurm|k8s <runDir> [options]',
  description: 'Writes how a cluster runs a planned run (actlab plan): one task per job, task i running '
    + 'actlab run-job <runDir> --index i. The run folder must be on storage every task sees. '
    + `slurm: <runDir>/${SLURM_SCRIPT}, an sbatch script with --array=0-(N-1)%K, one output file per task under `
    + `<runDir>/${SLURM_LOG_DIR}/; --submit runs sbatch and prints the job id. k8s: <runDir>/${K8S_MANIFEST}, a `
    + 'batch/v1 Job, completionMode Indexed, the runs folder on the PersistentVolumeClaim NAME (ReadWriteMany) '
    + 'at /actlab/runs; apply it with kubectl.',
  options: [
    { flags: '--parallel K', text: 'at most K tasks at once (slurm default: no limit; k8s default: all)' },
    { flags: '--cpus N', text: "CPUs per task, and the trainer's threads (default 1; the numbers depend on it)" },
    { flags: '--partition P', text: 'slurm: the partition' },
    { flags: '--time T', text: 'slurm: the time limit per task (e.g. 30, 1:00:00)' },
    { flags: '--submit', text: 'slurm: run sbatch (SLURM_CONF and PATH as for any Slurm client)' },
    { flags: '--image IMG', text: `k8s: an image with actlab on its PATH (default ${K8S_DEFAULT_IMAGE})` },
    { flags: '--pvc NAME', text: `k8s: the claim that holds the runs folder (default ${K8S_DEFAULT_PVC})` },
    { flags: '--retries R', text: 'k8s: backoffLimitPerIndex, attempts per index after the first (default 1)' },
    HELP_OPTION,
  ],
  examples: ['actlab submit slurm /shared/runs/<runId> --parallel 4 --submit', 'actlab submit k8s /shared/runs/<runId> --pvc actlab-runs'],
};

/** A usage mistake: what, the command line it takes, where its help is. */
const usage = (what: string): UsageError =>
  new UsageError(what, `it takes: actlab ${SUBMIT_HELP.usage}`, 'see `actlab submit --help`');

function intArg(text: string | undefined, flag: string, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw usage(`${flag} must be an integer ≥ ${min}`);
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
  }, 'submit');
  if (values.help) {
    process.stdout.write(formatCommandHelp(SUBMIT_HELP, helpWidth(process.stdout)));
    return 0;
  }
  const [engine, dirArg, ...extra] = positionals;
  if (engine !== 'slurm' && engine !== 'k8s') throw usage('expected slurm or k8s');
  if (dirArg === undefined || extra.length) throw usage('expected exactly one run folder');
  const runDir = path.resolve(dirArg);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw usage(`${dirArg} is not a run folder (no ${CONFIG_FILE}); plan one first: actlab plan <config>`);
  try {
    plannedLock(runDir);
  } catch (e) {
    throw usage((e as Error).message);
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
