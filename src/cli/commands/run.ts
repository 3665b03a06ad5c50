import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKENDS, type BackendChoice } from '../../core/config';
import { encodeEvent, type ActlabEvent } from '../../core/protocol';
import { buildReportHtml } from '../../report/reportHtml';
import { writeReportFile, type KnownRun } from '../../runner/reportFile';
import { startRun } from '../../runner/scheduler';
import { CliError, formatError, fsReason } from '../errors';
import { formatSummaryTable } from '../format';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { describeTally, tallyJobs } from '../jobTally';
import { loadConfigFile } from '../loadConfig';
import { shellArg, shown } from '../paths';
import { createProgress } from '../progress';
import { rememberRunsFolder } from '../state';
import { clean, fileLink, terminalWidth, wrap, type OutStream } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';

/** report.html at the end of the run (the scheduler calls it; src/report builds the page). */
const writeReport = (runDir: string, run: KnownRun): string => writeReportFile(runDir, buildReportHtml, [], run);

export const RUN_HELP: CommandHelp = {
  name: 'run',
  summary: 'train every job of a config, then print a summary table',
  usage: 'run <config> [options]',
  description: 'Runs every job of an experiment config (activations × sweeps × seeds) and records '
    + 'it in a run folder: config.json, events.jsonl, summary.json and report.html.',
  options: [
    { flags: '--out DIR', text: 'where run folders go (default: .actlab/runs next to the config)' },
    { flags: '--backend NAME', text: `override the config's backend: ${BACKENDS.join(' | ')}` },
    { flags: '--parallel N', text: 'trainer processes at once (default: CPU cores, at most the job count)' },
    { flags: '--threads N', text: 'threads per trainer (default: the cores shared among the trainers running at once); '
      + 'on wasm a job with enough work per step trains on that many threads (data-parallel; the numbers depend on the count)' },
    { flags: '--json', text: 'every event as one JSON line on stdout; human output goes to stderr' },
    { flags: '--quiet', text: 'no progress and no table; only the run folder and its status' },
    HELP_OPTION,
  ],
  examples: ['actlab run examples/quickstart.actlab.json', 'actlab run examples/quickstart.actlab.json --parallel 2 --out runs'],
  notes: [
    'Exit codes: 0 all jobs completed; 1 a job failed, diverged or was cancelled; 2 invalid config or usage.',
    'Ctrl-C cancels the run cleanly; a second Ctrl-C kills the trainers at once.',
  ],
};

const EXAMPLE = 'actlab run examples/quickstart.actlab.json';

/** Where the bundled trainer lives: next to this bundle (dist/cli.js → dist/trainer.js).
 * ACTLAB_TRAINER overrides it (development and tests). */
function trainerPath(): string {
  return process.env.ACTLAB_TRAINER ?? path.join(__dirname, 'trainer.js');
}

interface RunArgs {
  config: string;
  out?: string;
  backend?: BackendChoice;
  parallel?: number;
  threads?: number;
  json: boolean;
  quiet: boolean;
}

/** The command line, checked: undefined when only help was asked for. */
function parseRunArgs(args: string[]): RunArgs | undefined {
  const { values, positionals } = parseCommandArgs(args, {
    out: { type: 'string' },
    backend: { type: 'string' },
    parallel: { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, 'run');
  if (values.help) {
    process.stdout.write(formatCommandHelp(RUN_HELP, helpWidth(process.stdout)));
    return undefined;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `${positionals.length} configs given` : 'no config to run',
      '`actlab run` runs one experiment config (a *.actlab.json file)', `for example: \`${EXAMPLE}\``);
  }
  const backend = values.backend;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`unknown backend '${backend}'`, `--backend takes ${BACKENDS.join(', ')}`, '`--backend auto` picks the fastest one installed');
  }
  const count = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw countError(flag, v);
    return n;
  };
  return {
    config: positionals[0]!, out: values.out, backend: backend as BackendChoice | undefined,
    parallel: count('--parallel', values.parallel), threads: count('--threads', values.threads),
    json: values.json ?? false, quiet: values.quiet ?? false,
  };
}

export async function runCommand(args: string[]): Promise<number> {
  const opts = parseRunArgs(args);
  if (!opts) return 0;
  const { backend, threads } = opts;

  // Human output goes to stderr when stdout carries the JSON event stream.
  const human = opts.json ? process.stderr : process.stdout;
  const configPath = path.resolve(opts.config);
  const loaded = loadConfigFile(configPath, opts.config, true);
  if (loaded.readError !== undefined) {
    throw new CliError(`cannot read the config ${opts.config}`, loaded.readError,
      `check the path; the examples are in examples/, e.g. \`${EXAMPLE}\``);
  }
  writeDiagnostics(loaded.messages);
  if (!loaded.resolved) {
    process.stderr.write(invalidConfigHint(opts.config, loaded.errors));
    return 2;
  }
  const resolved = loaded.resolved;

  const trainer = trainerPath();
  if (!fs.existsSync(trainer)) {
    throw new CliError('the trainer is missing', `no file at ${trainer}`, 'build it first: `npm run build`');
  }
  const outDir = opts.out ? path.resolve(opts.out) : path.join(path.dirname(configPath), '.actlab', 'runs');
  const parallel = Math.max(1, Math.min(opts.parallel ?? os.availableParallelism(), resolved.jobs.length || 1));

  // A closed pipe (`actlab run --json | head`) must not crash the run; the run folder has it all.
  process.stdout.on('error', () => undefined);
  const progress = opts.quiet ? undefined : createProgress(human, resolved);
  // Job starts and ends, for counting jobs by state at the end.
  const jobEvents: ActlabEvent[] = [];
  const onEvent = (e: ActlabEvent): void => {
    if (e.type === 'jobStart' || e.type === 'jobEnd') jobEvents.push(e);
    if (opts.json) process.stdout.write(`${encodeEvent(e)}\n`);
    progress?.onEvent(e);
  };
  let handle: ReturnType<typeof startRun>;
  try {
    handle = startRun({ resolved, outDir, parallel, trainerPath: trainer, backend, onEvent, writeReport, ...(threads ? { threads } : {}) });
  } catch (e) {
    throw outDirError(e, outDir);
  }
  rememberRunsFolder(outDir);
  if (!opts.quiet) writeRunStart(human, handle.runId, resolved.jobs.length, parallel, outDir);

  const result = await untilDone(handle, progress);

  const tally = tallyJobs(resolved.jobs.map((j) => j.jobId), jobEvents);
  if (!opts.quiet) human.write(`\n${formatSummaryTable(result.summary, { width: terminalWidth(human), notStarted: tally.notStarted })}`);
  human.write(`${result.status}: ${result.runDir}\n`);
  if (!opts.quiet) writeRunEnd(human, { runDir: result.runDir, outDir, configPath, allCompleted: result.status === 'completed', jobs: describeTally(tally) });
  if (result.error) {
    // A run folder that could not be fully written (a full disk): what, where, what to do.
    process.stderr.write(formatError('actlab run', new CliError('the run folder could not be fully written', result.error,
      `free space there, then \`actlab report ${shellArg(result.runDir)}\` rewrites the report; rerun the config for what was lost`, 1),
    terminalWidth(process.stderr)));
    return 1;
  }
  return result.status === 'completed' ? 0 : 1;
}

/** The run folder could not be made (a read-only or missing --out): say so; other errors pass. */
function outDirError(e: unknown, outDir: string): unknown {
  if (!(e as NodeJS.ErrnoException | undefined)?.code) return e;
  // A full disk is not a usage error: exit 1 as for a run that did not complete.
  const full = ['ENOSPC', 'EDQUOT', 'EIO'].includes((e as NodeJS.ErrnoException).code ?? '');
  return new CliError(`cannot create a run folder in ${shown(outDir)}`, fsReason(e),
    full ? 'free space there, or choose another folder with `--out DIR`' : 'choose a writable folder with `--out DIR`', full ? 1 : 2);
}

function countError(flag: string, given: string): UsageError {
  return new UsageError(`${flag} ${given} is not a count`, `${flag} takes a whole number of 1 or more`, `for example: \`${EXAMPLE} ${flag} 2\``);
}

/** The config's diagnostics, wrapped for a person (`validate` keeps them one per line, for tools). */
function writeDiagnostics(messages: string[]): void {
  const width = terminalWidth(process.stderr);
  for (const m of messages) process.stderr.write(`${wrap(clean(m, 2000), width, '    ').join('\n')}\n`);
}

/** After the diagnostics of an invalid config: what to do about them. */
function invalidConfigHint(file: string, errors: number): string {
  return `actlab run: nothing ran: ${file} has ${errors} error${errors === 1 ? '' : 's'} (above)\n`
    + `  fix them, then rerun; \`actlab validate ${shellArg(path.resolve(file))}\` checks without running\n`;
}

function writeRunStart(out: OutStream, runId: string, jobs: number, parallel: number, outDir: string): void {
  const text = `run ${runId}: ${jobs} job${jobs === 1 ? '' : 's'}, ${parallel} at a time, in ${shown(outDir)}`;
  out.write(`${wrap(text, terminalWidth(out), '    ').join('\n')}\n`);
}

interface RunEnd { runDir: string; outDir: string; configPath: string; allCompleted: boolean; jobs: string }

/** Below "completed: <dir>": how the jobs ended, the report (a link where the terminal takes
 * links), and the commands a user runs next. */
function writeRunEnd(out: OutStream, r: RunEnd): void {
  const width = terminalWidth(out);
  const lines: string[] = [];
  if (!r.allCompleted) lines.push(...wrap(`jobs: ${r.jobs}`, width, '      '));
  const report = path.join(r.runDir, 'report.html');
  if (fs.existsSync(report)) lines.push(`report: ${fileLink(report, out, shown(report))}`);
  // `list` with the folder that holds the config finds its .actlab/runs; --out needs the folder itself.
  const defaultOut = path.join(path.dirname(r.configPath), '.actlab', 'runs');
  const listArg = path.resolve(r.outDir) === defaultOut ? path.dirname(r.configPath) : r.outDir;
  const listCmd = path.resolve(listArg) === process.cwd() ? 'actlab list' : `actlab list ${shellArg(listArg)}`;
  const next: [string, string][] = [[listCmd, 'this run among the others']];
  if (!r.allCompleted) next.push([`actlab run ${shellArg(r.configPath)}`, 'run it again']);
  next.push([`actlab report ${shellArg(r.runDir)}`, 'rewrite report.html']);
  // Aligned descriptions where they all fit; otherwise each command alone (it must stay whole).
  const col = Math.max(...next.map(([c]) => c.length)) + 2;
  const aligned = next.map(([cmd, what], i) => `${i === 0 ? 'next: ' : '      '}${cmd.padEnd(col)}${what}`);
  if (aligned.every((l) => l.length <= width)) lines.push(...aligned);
  else lines.push(...next.map(([cmd], i) => `${i === 0 ? 'next: ' : '      '}${cmd}`));
  out.write(`${lines.join('\n')}\n`);
}

/** Waits for the run; Ctrl-C (or SIGTERM) cancels it, a second one kills the trainers. */
async function untilDone(handle: ReturnType<typeof startRun>, progress: ReturnType<typeof createProgress> | undefined) {
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    progress?.stop();
    process.stderr.write(interrupts === 1
      ? 'cancelling… (press Ctrl-C again to kill the trainers now)\n'
      : 'killing trainers…\n');
    handle.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await handle.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress?.stop();
  }
}
