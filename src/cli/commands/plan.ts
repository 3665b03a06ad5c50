import * as path from 'node:path';
import { BACKENDS, type BackendChoice } from '../../core/config';
import { planRun } from '../../runner/plan';
import { loadConfigFile } from '../loadConfig';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { clean } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';

export const PLAN_HELP: CommandHelp = {
  name: 'plan',
  summary: 'write a run folder for a cluster without training (then submit, run-job, merge)',
  usage: 'plan <config> [--out DIR] [--backend NAME]',
  description: 'Validates and expands a config and writes its run folder without training: config.json with '
    + "every job and its index, run.json with status 'planned', and an empty jobs/ folder. Cluster tasks "
    + 'then train one job each (actlab run-job), and actlab merge folds their results. Prints the run '
    + "folder's path as its last line.",
  options: [
    { flags: '--out DIR', text: 'where run folders go (default: .actlab/runs next to the config); for a cluster, a folder every node sees at the same path' },
    { flags: '--backend NAME', text: `override the config's backend: ${BACKENDS.join(' | ')}` },
    HELP_OPTION,
  ],
  examples: ['actlab plan examples/quickstart.actlab.json --out /shared/runs'],
  notes: ['Exit codes: 0 planned; 2 invalid config or usage.'],
};

/** A usage mistake: what, the command line it takes, where its help is. */
const usage = (what: string): UsageError =>
  new UsageError(what, `it takes: actlab ${PLAN_HELP.usage}`, 'see `actlab plan --help`');

export function planCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, {
    out: { type: 'string' },
    backend: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, 'plan');
  if (values.help) {
    process.stdout.write(formatCommandHelp(PLAN_HELP, helpWidth(process.stdout)));
    return 0;
  }
  if (positionals.length !== 1) throw usage('expected exactly one config file');
  const backend = values.backend;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw usage(`--backend must be one of ${BACKENDS.join(', ')}`);
  }
  const configPath = path.resolve(positionals[0]);
  const loaded = loadConfigFile(configPath, positionals[0], true);
  for (const line of loaded.messages) process.stderr.write(`${clean(line, 2000)}\n`);
  if (!loaded.resolved) return 2;
  const outDir = values.out ? path.resolve(values.out) : path.join(path.dirname(configPath), '.actlab', 'runs');
  const planned = planRun({ resolved: loaded.resolved, outDir, ...(backend ? { backend: backend as BackendChoice } : {}) });
  process.stdout.write(`planned ${planned.runId}: ${planned.jobs} job(s), indices 0–${planned.jobs - 1}\n`);
  process.stdout.write(`next: actlab submit slurm|k8s ${planned.runDir}, or actlab run-job ${planned.runDir} --index I\n`);
  process.stdout.write(`${planned.runDir}\n`);
  return 0;
}
