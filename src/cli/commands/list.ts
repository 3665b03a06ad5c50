import * as path from 'node:path';
import { listRuns } from '../../runner/runs';
import { pct } from '../format';
import { formatJobProgress } from './merge';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `Usage: actlab list [DIR]

Lists the runs in DIR (default: ./.actlab/runs), newest first, with their status:
running, completed, failed, diverged, cancelled, or interrupted (the writer is gone); a planned
or submitted cluster run shows its jobs' progress from jobs/ (done, running, failed, pending).
`;

export function listCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h', default: false } }, HELP);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('expected at most one folder', HELP);
  const dir = path.resolve(positionals[0] ?? path.join('.actlab', 'runs'));
  const runs = listRuns(dir);
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${dir}\n`);
    return 0;
  }
  const rows = runs.map((r) => [
    r.runId,
    r.cluster?.state ?? r.status,
    r.cluster ? formatJobProgress(r.cluster) : `${r.jobsDone}/${r.jobsTotal}`,
    r.best ? `${r.best.label} ${r.best.metric === 'testAccuracy' ? pct(r.best.value) : `loss ${r.best.value.toFixed(4)}`}` : '—',
  ]);
  const header = ['run', 'status', 'jobs', 'best'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const cells of [header, ...rows]) process.stdout.write(`${cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
  return 0;
}
