import * as path from 'node:path';
import { BACKENDS, type BackendChoice } from '../../core/config';
import { planRun } from '../../runner/plan';
import { loadConfigFile } from '../loadConfig';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `Usage: actlab plan <config> [--out DIR] [--backend NAME]

Validates and expands a config and writes its run folder without training: config.json with
every job and its index, run.json with status 'planned', and an empty jobs/ folder. Cluster tasks
then train one job each (actlab run-job), and actlab merge folds their results.
Prints the run folder's path as its last line.

Options:
  --out DIR       where run folders go (default: .actlab/runs next to the config); for a cluster,
                  a folder every node sees at the same path
  --backend NAME  override the config's backend: ${BACKENDS.join(' | ')}
  -h, --help      this help

Exit codes: 0 planned; 2 invalid config or usage.
`;

export function planCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, {
    out: { type: 'string' },
    backend: { type: 'string' },
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
  const configPath = path.resolve(positionals[0]);
  const loaded = loadConfigFile(configPath, positionals[0], true);
  for (const line of loaded.messages) process.stderr.write(`${line}\n`);
  if (!loaded.resolved) return 2;
  const outDir = values.out ? path.resolve(values.out) : path.join(path.dirname(configPath), '.actlab', 'runs');
  const planned = planRun({ resolved: loaded.resolved, outDir, ...(backend ? { backend: backend as BackendChoice } : {}) });
  process.stdout.write(`planned ${planned.runId}: ${planned.jobs} job(s), indices 0–${planned.jobs - 1}\n`);
  process.stdout.write(`next: actlab submit slurm|k8s ${planned.runDir}, or actlab run-job ${planned.runDir} --index I\n`);
  process.stdout.write(`${planned.runDir}\n`);
  return 0;
}
