import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKENDS, type BackendChoice } from '../../core/config';
import { encodeEvent, type ActlabEvent } from '../../core/protocol';
import { buildReportHtml } from '../../report/reportHtml';
import { writeReportFile } from '../../runner/reportFile';
import { startRun } from '../../runner/scheduler';
import { formatSummaryTable } from '../format';
import { loadConfigFile } from '../loadConfig';
import { createProgress } from '../progress';
import { parseCommandArgs, UsageError } from '../usage';

/** report.html at the end of the run (the scheduler calls it; src/report builds the page). */
const writeReport = (runDir: string): string => writeReportFile(runDir, buildReportHtml);

const HELP = `Usage: actlab run <config> [options]

Runs every job of an experiment config and records it in a run folder.

Options:
  --out DIR            where run folders go (default: .actlab/runs next to the config)
  --backend NAME       override the config's backend: ${BACKENDS.join(' | ')}
  --parallel N         trainer processes at once (default: CPU cores, at most the job count)
  --threads N          threads per trainer (default: the cores shared among the trainers running
                       at once); on wasm a job with enough work per step trains on that many
                       threads (data-parallel shards; the numbers depend on the count)
  --json               every event as one JSON line on stdout; human output goes to stderr
  --quiet              no progress and no table; only the run folder and its status
  -h, --help           this help

Exit codes: 0 all jobs completed; 1 a job failed, diverged or was cancelled; 2 invalid config or usage.
Ctrl-C cancels the run cleanly; a second Ctrl-C kills the trainers at once.
`;

/** Where the bundled trainer lives: next to this bundle (dist/cli.js → dist/trainer.js).
 * ACTLAB_TRAINER overrides it (development and tests). */
function trainerPath(): string {
  return process.env.ACTLAB_TRAINER ?? path.join(__dirname, 'trainer.js');
}

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    out: { type: 'string' },
    backend: { type: 'string' },
    parallel: { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, HELP);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one config file', HELP);
  const backend = values.backend;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`, HELP);
  }
  let parallelArg: number | undefined;
  if (values.parallel !== undefined) {
    parallelArg = Number(values.parallel);
    if (!Number.isInteger(parallelArg) || parallelArg < 1) throw new UsageError('--parallel must be a positive integer', HELP);
  }
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1) throw new UsageError('--threads must be a positive integer', HELP);
  }

  // Human output goes to stderr when stdout carries the JSON event stream.
  const human = values.json ? process.stderr : process.stdout;
  const configPath = path.resolve(positionals[0]);
  const loaded = loadConfigFile(configPath, positionals[0], true);
  for (const line of loaded.messages) process.stderr.write(`${line}\n`);
  if (!loaded.resolved) return 2;
  const resolved = loaded.resolved;

  const trainer = trainerPath();
  if (!fs.existsSync(trainer)) {
    process.stderr.write(`actlab run: trainer not found at ${trainer} (build first: npm run build)\n`);
    return 2;
  }
  const outDir = values.out ? path.resolve(values.out) : path.join(path.dirname(configPath), '.actlab', 'runs');
  const parallel = Math.max(1, Math.min(parallelArg ?? os.availableParallelism(), resolved.jobs.length || 1));

  // A closed pipe (`actlab run --json | head`) must not crash the run; the run folder has it all.
  process.stdout.on('error', () => undefined);
  const progress = values.quiet ? undefined : createProgress(human, resolved);
  const onEvent = (e: ActlabEvent): void => {
    if (values.json) process.stdout.write(`${encodeEvent(e)}\n`);
    progress?.onEvent(e);
  };
  const handle = startRun({ resolved, outDir, parallel, trainerPath: trainer, backend: backend as BackendChoice | undefined, onEvent, writeReport, ...(threads ? { threads } : {}) });
  if (!values.quiet) human.write(`run ${handle.runId}: ${resolved.jobs.length} job(s), ${parallel} at a time → ${handle.runDir}\n`);

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
  let result;
  try {
    result = await handle.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress?.stop();
  }

  if (!values.quiet) human.write(`\n${formatSummaryTable(result.summary)}`);
  human.write(`${result.status}: ${result.runDir}\n`);
  return result.status === 'completed' ? 0 : 1;
}
