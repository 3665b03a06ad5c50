import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareRuns } from '../../core/compare';
import { buildReportHtml } from '../../report/reportHtml';
import { reportAssets, writeReportFile } from '../../runner/reportFile';
import { readRun } from '../../runner/runs';
import { CONFIG_FILE } from '../../runner/runStore';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `Usage: actlab report <runDir>
       actlab report --compare <runDir> <runDir>... --out FILE

(Re)writes <runDir>/report.html, a self-contained page of the run, and prints its path.
With --compare, writes FILE: one page with every run's arms, prefixed by the run's name, and
the settings that differ between the runs.
`;

export function reportCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, {
    help: { type: 'boolean', short: 'h', default: false },
    compare: { type: 'boolean', default: false },
    out: { type: 'string' },
  }, HELP);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.compare) return compareReport(positionals, values.out);
  if (positionals.length !== 1) throw new UsageError('expected exactly one run folder', HELP);
  const runDir = path.resolve(positionals[0]);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw new UsageError(`${positionals[0]} is not a run folder (no ${CONFIG_FILE})`, HELP);
  process.stdout.write(`${writeReportFile(runDir, buildReportHtml)}\n`);
  return 0;
}

function checkRunDir(dir: string): string {
  const runDir = path.resolve(dir);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw new UsageError(`${dir} is not a run folder (no ${CONFIG_FILE})`, HELP);
  return runDir;
}

/** `--compare a b … --out FILE`: the runs merged by core/compare into one self-contained page. */
function compareReport(dirs: string[], out: string | undefined): number {
  if (dirs.length < 2) throw new UsageError('--compare needs at least two run folders', HELP);
  if (!out) throw new UsageError('--compare needs --out FILE', HELP);
  const runs = dirs.map(checkRunDir).map((dir) => {
    const run = readRun(dir);
    const start = run.events.find((e) => e.type === 'runStart');
    return { runId: start?.type === 'runStart' ? start.runId : path.basename(dir), config: run.config, events: run.events };
  });
  const cmp = compareRuns(runs);
  const assets = reportAssets();
  const html = buildReportHtml({
    runId: cmp.runId, config: cmp.config, events: cmp.events,
    script: fs.readFileSync(assets.script, 'utf8'), style: fs.readFileSync(assets.style, 'utf8'), nonce: randomBytes(16).toString('base64'),
  });
  const file = path.resolve(out);
  fs.writeFileSync(file, html);
  process.stdout.write(`${file}\n`);
  return 0;
}
