import * as fs from 'node:fs';
import * as path from 'node:path';
import { SLURM_SCRIPT } from '../../cluster/slurm';
import { shellCommand, shellQuote } from '../../cluster/shell';
import { buildReportHtml } from '../../report/reportHtml';
export { formatJobProgress } from '../../runner/jobFiles';
import { mergeRun, type JobOutcome, type MergeResult } from '../../runner/merge';
import { writeReportFile } from '../../runner/reportFile';
import { CONFIG_FILE } from '../../runner/runStore';
import { formatSummaryTable } from '../format';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { clean } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';

export const MERGE_HELP: CommandHelp = {
  name: 'merge',
  summary: "fold a cluster run's job files into events.jsonl, summary.json, report.html",
  usage: 'merge <runDir> [--quiet]',
  description: "Folds a planned run's jobs/*/events.jsonl into the run's events.jsonl, summary.json and "
    + 'report.html, and records the final status in run.json. Idempotent: it always starts from the job '
    + 'files, so merging again after rerunning a job gives the complete run.',
  options: [{ flags: '--quiet', text: 'no summary table' }, HELP_OPTION],
  examples: ['actlab merge /shared/runs/<runId>'],
  notes: ['Exit codes: 0 every job completed; 1 some failed, diverged, did not end or never ran (listed, each with the command that reruns it); 2 usage error.'],
};

/** A usage mistake: what, the command line it takes, where its help is. */
const usage = (what: string): UsageError =>
  new UsageError(what, `it takes: actlab ${MERGE_HELP.usage}`, 'see `actlab merge --help`');

/** How this actlab was started, as absolute paths: what a task on another node must run. */
export function actlabArgv(): string[] {
  // Bundled, __dirname is dist/ and the launcher is bin/actlab.js beside it.
  return [process.execPath, path.resolve(__dirname, '..', 'bin', 'actlab.js')];
}

/** Merge with the same report.html writer as actlab run. */
export const mergeAndReport = (runDir: string): MergeResult =>
  mergeRun(runDir, { writeReport: (dir) => writeReportFile(dir, buildReportHtml) });

const WHY: Record<JobOutcome['state'], (index: number) => string> = {
  completed: () => 'completed',
  diverged: () => 'diverged (a result of the experiment: a rerun diverges again)',
  failed: () => 'failed',
  cancelled: () => 'cancelled',
  unfinished: (i) => `did not end: jobs/${i}/events.jsonl has no jobEnd (the task was killed, or is still running)`,
  missing: (i) => `never ran: no jobs/${i}/events.jsonl`,
};

/** The jobs to look at, each with how to rerun it. */
export function formatIncomplete(result: MergeResult): string {
  const bad = result.jobs.filter((j) => j.state !== 'completed');
  if (bad.length === 0) return '';
  const out = [`${bad.length} of ${result.jobs.length} job(s) did not complete:`];
  for (const j of bad) {
    const first = j.message?.split('\n')[0];
    out.push(`  [${j.index}] ${j.jobId}: ${WHY[j.state](j.index)}${first ? ` — ${first}` : ''}`);
    if (j.state !== 'diverged') out.push(`      rerun: ${shellCommand([...actlabArgv(), 'run-job', result.runDir, '--index', String(j.index)])}`);
  }
  const rerun = bad.filter((j) => j.state !== 'diverged').map((j) => j.index);
  if (rerun.length && fs.existsSync(path.join(result.runDir, SLURM_SCRIPT))) {
    out.push(`  or on Slurm: sbatch --array=${rerun.join(',')} ${shellQuote(path.join(result.runDir, SLURM_SCRIPT))}`);
  }
  out.push(`  then: ${shellCommand([...actlabArgv(), 'merge', result.runDir])}`);
  return `${out.join('\n')}\n`;
}

/** `4/6 done · 1 running · 1 failed · 0 pending`, for list and the editor. */

export function mergeCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, {
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, 'merge');
  if (values.help) {
    process.stdout.write(formatCommandHelp(MERGE_HELP, helpWidth(process.stdout)));
    return 0;
  }
  if (positionals.length !== 1) throw usage('expected exactly one run folder');
  const runDir = path.resolve(positionals[0]);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw usage(`${positionals[0]} is not a run folder (no ${CONFIG_FILE})`);
  const result = mergeAndReport(runDir);
  for (const w of result.warnings) process.stderr.write(`warning: ${clean(w, 2000)}\n`);
  if (!values.quiet) process.stdout.write(`${formatSummaryTable(result.summary)}\n`);
  process.stdout.write(formatIncomplete(result));
  process.stdout.write(`${result.status}: ${runDir}\n`);
  return result.complete ? 0 : 1;
}
