import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveJobIndex, JOB_INDEX_VARS } from '../../cluster/jobIndex';
import { shellCommand } from '../../cluster/shell';
import type { TrainerEvent } from '../../core/protocol';
import { allJobsEnded, readJobFiles } from '../../runner/jobFiles';
import { readPlannedConfig, startJobRun } from '../../runner/jobRunner';
import { CONFIG_FILE } from '../../runner/runStore';
import { duration } from '../format';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { clean } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';
import { actlabArgv, mergeAndReport } from './merge';

export const RUN_JOB_HELP: CommandHelp = {
  name: 'run-job',
  summary: 'train one job of a planned run (a cluster task)',
  usage: 'run-job <runDir> [--index I] [--threads N]',
  description: 'Trains exactly one job of a planned run (actlab plan) and writes its events to '
    + '<runDir>/jobs/<I>/events.jsonl. Safe to rerun: a rerun replaces that job\'s file. When it is the '
    + 'last job to end, it also merges the run (actlab merge).',
  options: [
    { flags: '--index I', text: `the job (0-based); default: the first of ${JOB_INDEX_VARS.join(', ')} that is set` },
    { flags: '--threads N', text: "threads for the trainer (default: SLURM_CPUS_PER_TASK, else this machine's cores); the numbers depend on it, as for actlab run --threads" },
    HELP_OPTION,
  ],
  examples: ['actlab run-job /shared/runs/<runId> --index 3'],
  notes: [
    'Exit codes: 0 the job completed; 1 it failed, diverged or was stopped; 2 usage error.',
    'SIGTERM (scancel, a time limit, pod deletion) stops the trainer and records the job as failed.',
  ],
};

/** A usage mistake: what, the command line it takes, where its help is. */
const usage = (what: string): UsageError =>
  new UsageError(what, `it takes: actlab ${RUN_JOB_HELP.usage}`, 'see `actlab run-job --help`');

/** As actlab run: the bundled trainer beside this bundle, or ACTLAB_TRAINER (development, tests). */
const trainerPath = (): string => process.env.ACTLAB_TRAINER ?? path.join(__dirname, 'trainer.js');

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usage(`${flag} must be a positive integer`);
  return n;
}

/** Plain lines: a task's output goes to a log file, not a terminal (still cleaned: a log is read
 * in one). undefined for events that are not logged. */
export function eventLine(index: number, e: TrainerEvent): { err: boolean; text: string } | undefined {
  if (e.type === 'jobStart') return { err: false, text: `[${index}] start ${clean(e.jobId)} (${clean(e.backend.name)}, ${e.threads ?? 1} thread(s))` };
  if (e.type === 'epoch') return { err: false, text: `[${index}] epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, test loss ${e.testLoss.toFixed(4)}` };
  if (e.type === 'jobEnd') return { err: false, text: `[${index}] ${clean(e.jobId)} ${e.status} (${duration(e.seconds)})${e.message ? `: ${clean(e.message, 2000)}` : ''}` };
  if (e.type === 'log' && (e.level === 'warn' || e.level === 'error')) return { err: true, text: `[${index}] ${e.level}: ${clean(e.message, 2000)}` };
  return undefined;
}

function logEvent(index: number, e: TrainerEvent): void {
  const line = eventLine(index, e);
  if (line) (line.err ? process.stderr : process.stdout).write(`${line.text}\n`);
}

export async function runJobCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    index: { type: 'string' },
    threads: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, 'run-job');
  if (values.help) {
    process.stdout.write(formatCommandHelp(RUN_JOB_HELP, helpWidth(process.stdout)));
    return 0;
  }
  if (positionals.length !== 1) throw usage('expected exactly one run folder');
  const runDir = path.resolve(positionals[0]);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw usage(`${positionals[0]} is not a run folder (no ${CONFIG_FILE})`);
  const config = readPlannedConfig(runDir);
  const which = resolveJobIndex(values.index, process.env, config.jobs.length);
  if (typeof which === 'string') throw usage(which);
  const threads = positiveInt(values.threads, '--threads') ?? positiveInt(process.env.SLURM_CPUS_PER_TASK, 'SLURM_CPUS_PER_TASK') ?? os.availableParallelism();
  const trainer = trainerPath();
  if (!fs.existsSync(trainer)) {
    process.stderr.write(`actlab run-job: trainer not found at ${trainer} (build first: npm run build)\n`);
    return 2;
  }

  const { index } = which;
  const handle = startJobRun({ runDir, index, trainerPath: trainer, threads, onEvent: (e) => logEvent(index, e) });
  // The scheduler's stop (SIGTERM) must still leave a complete record: stop the trainer, let it
  // end the job, then exit. A second signal kills it at once.
  const onSignal = (): void => handle.stop();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let end;
  try {
    end = await handle.done;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  if (end.status !== 'completed') process.stderr.write(`rerun: ${shellCommand([...actlabArgv(), 'run-job', runDir, '--index', String(index)])}\n`);

  // The last task to end merges, wherever it runs: every machine that runs tasks sees the folder.
  if (allJobsEnded(readJobFiles(runDir, config))) {
    try {
      const merged = mergeAndReport(runDir);
      process.stdout.write(`merged: ${merged.status} (${merged.jobs.filter((j) => j.state === 'completed').length}/${merged.jobs.length} completed)\n`);
    } catch (e) {
      // The job's record is complete either way; actlab merge can be run again by hand.
      process.stderr.write(`warning: merge failed: ${clean((e as Error).message, 2000)}\n`);
    }
  }
  return end.status === 'completed' ? 0 : 1;
}
