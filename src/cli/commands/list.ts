import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeEventLine, type ActlabEvent } from '../../core/protocol';
import { CONFIG_FILE, EVENTS_FILE } from '../../runner/runStore';
import type { RunInfo } from '../../runner/runs';
import { CliError, fsReason } from '../errors';
import { pct } from '../format';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { describeTally, tallyJobs } from '../jobTally';
import { shown } from '../paths';
import { lastRunsFolder } from '../state';
import { fitTable } from '../table';
import { clean, terminalWidth, wrap } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';
import { formatJobProgress } from '../../runner/jobFiles';
import { lookIn, type Place } from './listPlaces';

export const LIST_HELP: CommandHelp = {
  name: 'list',
  summary: 'the runs you made, newest first, with their status',
  usage: 'list [DIR]',
  description: 'Lists runs, newest first, with their status (running, completed, failed, diverged, '
    + 'cancelled, or interrupted: the writer is gone) and how their jobs ended. Without DIR it '
    + 'looks in ./.actlab/runs, in ./*/.actlab/runs one folder down, and in the runs folder of '
    + 'the last `actlab run`; with DIR, in DIR itself and in DIR/.actlab/runs (so DIR may be the '
    + 'folder of your configs). It always says where it looked.',
  options: [HELP_OPTION],
  examples: ['actlab list', 'actlab list examples', 'actlab list examples/.actlab/runs'],
};

/** The jobStart/jobEnd events of a run (other lines are skipped unparsed: a run's step events
 * can be megabytes). */
function jobEvents(runDir: string): ActlabEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(runDir, EVENTS_FILE), 'utf8');
  } catch {
    return [];
  }
  const out: ActlabEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"jobStart"') && !line.includes('"jobEnd"')) continue;
    const e = decodeEventLine(line);
    if (typeof e !== 'string') out.push(e);
  }
  return out;
}

function jobIdsOf(runDir: string): string[] {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(runDir, CONFIG_FILE), 'utf8')) as { jobs?: { jobId?: unknown }[] };
    return (config.jobs ?? []).map((j) => j.jobId).filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

/** "4/4", or "12/12 (2 completed, 10 not started)": jobs ended of all, and how they ended. */
function jobsCell(r: RunInfo): string {
  // A planned or submitted cluster run: its jobs' progress from jobs/ (done, running, failed, pending).
  if (r.cluster) return formatJobProgress(r.cluster);
  if (r.status === 'completed' && r.jobsDone === r.jobsTotal) return `${r.jobsDone}/${r.jobsTotal}`;
  const tally = tallyJobs(jobIdsOf(r.runDir), jobEvents(r.runDir));
  // No readable config.json: the count of all jobs is unknown.
  if (tally.total === 0) return `${r.jobsDone}/${r.jobsTotal || '?'}`;
  return `${tally.ended}/${tally.total} (${describeTally(tally)})`;
}

function bestCell(r: RunInfo): string {
  if (!r.best) return '—';
  const v = r.best.metric === 'testAccuracy' ? pct(r.best.value) : `loss ${r.best.value.toFixed(4)}`;
  return `${clean(r.best.label, 40)} ${v}`;
}

function table(runs: RunInfo[], width: number): string[] {
  const { lines, dropped } = fitTable([
    { header: 'run', cells: runs.map((r) => clean(r.runId)) },
    { header: 'status', cells: runs.map((r) => r.cluster?.state ?? r.status) },
    { header: 'ended', cells: runs.map(jobsCell), wrap: true, minWidth: 18, indent: '  ' },
    { header: 'best', cells: runs.map(bestCell), wrap: true, minWidth: 16, indent: '  ', dropOrder: 1 },
  ], width);
  if (dropped.length) lines.push(...wrap(`(not shown at ${width} columns: ${dropped.join(', ')}; see each run's report.html)`, width, '  '));
  return lines;
}

function describePlace(p: Place): string {
  const what = p.runs === undefined ? 'missing' : p.runs.length === 0 ? 'no runs' : `${p.runs.length} run${p.runs.length === 1 ? '' : 's'}`;
  return `${p.label} (${what})`;
}

export function listCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h', default: false } }, 'list');
  if (values.help) {
    process.stdout.write(formatCommandHelp(LIST_HELP, helpWidth(process.stdout)));
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError('more than one folder', '`actlab list` lists one folder (or, without one, the usual places)', 'run it once per folder, or `actlab list` with no folder');
  }
  const width = terminalWidth(process.stdout);
  const places = positionals.length ? placesFor(positionals[0]) : lookIn(process.cwd(), lastRunsFolder());
  const out: string[] = [];
  for (const p of places) {
    if (!p.runs?.length) continue;
    out.push(...wrap(`${shown(p.dir)}: ${p.runs.length} run${p.runs.length === 1 ? '' : 's'}`, width, '  '), ...table(p.runs, width), '');
  }
  const found = out.length > 0;
  if (!found) out.push('no runs found');
  out.push(...wrap(`looked in: ${places.map(describePlace).join(', ')}`, width, '  '));
  if (!found) out.push(...wrap('to make one: `actlab run examples/quickstart.actlab.json`; or `actlab list DIR` for runs elsewhere', width, '  '));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** `list DIR`: DIR must exist; a config file stands for its folder. */
function placesFor(arg: string): Place[] {
  const abs = path.resolve(arg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    throw new CliError(`no folder ${arg}`, fsReason(e), 'check the path; `actlab list` with no folder searches the usual places');
  }
  if (!stat.isDirectory()) {
    if (!abs.endsWith('.json')) throw new CliError(`${arg} is not a folder`, 'it is a file; `actlab list` takes a folder of runs or of configs', `try \`actlab list ${shown(path.dirname(abs))}\``);
    return lookIn(path.dirname(abs), undefined, true);
  }
  return lookIn(abs, undefined, true);
}
