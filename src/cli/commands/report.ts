import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReportHtml } from '../../report/reportHtml';
import { comparisonPage, writeReportFile } from '../../runner/reportFile';
import { CONFIG_FILE, writeFileAtomic } from '../../runner/runStore';
import { CliError, fsReason } from '../errors';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { clean, fileLink } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';

export const REPORT_HELP: CommandHelp = {
  name: 'report',
  summary: "(re)write a run's report.html and print its path",
  usage: 'report <runDir> | report --compare <runDir> <runDir>... --out FILE',
  description: '(Re)writes <runDir>/report.html, a self-contained page of the run (curves, '
    + 'summary, probes), and prints its path. `actlab list` shows the run folders. With --compare, '
    + "writes FILE: one page with every run's arms, prefixed by the run's name, and the settings "
    + 'that differ between the runs.',
  options: [
    { flags: '--compare', text: 'compare two or more runs on one page (needs --out)' },
    { flags: '--out FILE', text: 'with --compare: where the page goes' },
    HELP_OPTION,
  ],
  examples: ['actlab report examples/.actlab/runs/<runId>', 'actlab report --compare runs/<a> runs/<b> --out comparison.html'],
};

const RUN_HINT = '`actlab list` shows your runs and their folders';

/** Child folders of `dir` that are runs (have a config.json), newest name first. */
function runsInside(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, CONFIG_FILE)))
      .map((d) => d.name).sort().reverse();
  } catch {
    return [];
  }
}

/** Checks that `shown` (as typed) is a readable run folder; throws the error a user can act on. */
function checkRunFolder(runDir: string, shown: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(runDir);
  } catch (e) {
    throw new CliError(`no run folder at ${shown}`, fsReason(e), RUN_HINT);
  }
  if (!stat.isDirectory()) {
    const parent = path.dirname(runDir);
    const fix = fs.existsSync(path.join(parent, CONFIG_FILE))
      ? `pass the folder that holds it: \`actlab report ${path.dirname(shown)}\``
      : RUN_HINT;
    throw new CliError(`${shown} is not a run folder`, 'it is a file; a run folder holds config.json and events.jsonl', fix);
  }
  const configFile = path.join(runDir, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch (e) {
    // A folder of runs, or a folder of configs with its .actlab/runs: point at its newest run.
    const nested = path.join(runDir, '.actlab', 'runs');
    const insideHere = runsInside(runDir);
    const inside = insideHere.length ? insideHere : runsInside(nested).map((n) => path.join('.actlab', 'runs', n));
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`${shown} is not a run folder`, `it has no ${CONFIG_FILE}`,
        inside.length ? `it holds ${inside.length} run${inside.length === 1 ? '' : 's'}; the newest: \`actlab report ${path.join(shown, inside[0])}\`` : RUN_HINT);
    }
    throw new CliError(`cannot read ${path.join(shown, CONFIG_FILE)}`, fsReason(e), 'check the folder\'s permissions, then rerun');
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new CliError(`cannot write the report of ${shown}`,
      `its ${CONFIG_FILE} is not valid JSON (${(e as Error).message})`,
      'the run folder is damaged: restore config.json, or run the experiment again with `actlab run <config>`');
  }
}

export function reportCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, {
    help: { type: 'boolean', short: 'h', default: false },
    compare: { type: 'boolean', default: false },
    out: { type: 'string' },
  }, 'report');
  if (values.help) {
    process.stdout.write(formatCommandHelp(REPORT_HELP, helpWidth(process.stdout)));
    return 0;
  }
  if (values.compare) return compareReport(positionals, values.out);
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? 'more than one run folder' : 'no run folder given',
      '`actlab report` writes the report of one run', `${RUN_HINT}; then \`actlab report <runDir>\``);
  }
  const shown = positionals[0];
  const runDir = path.resolve(shown);
  checkRunFolder(runDir, shown);
  let out: string;
  const warnings: string[] = [];
  try {
    out = writeReportFile(runDir, buildReportHtml, warnings);
  } catch (e) {
    const link = (e as NodeJS.ErrnoException).code === 'ELOOP';
    throw new CliError(`cannot write the report of ${shown}`, fsReason(e), link
      ? 'a run folder\'s files are never written through links: remove the link, then rerun'
      : 'check that the folder is writable and `npm run build` has been run, then rerun', 1);
  }
  // Lines of events.jsonl that were skipped: the report is built without them, and says so here.
  for (const w of warnings) process.stderr.write(`actlab report: warning: ${clean(w, 400)}\n`);
  // The path alone on stdout (scripts read it); a link to it where the terminal takes links.
  process.stdout.write(`${fileLink(out, process.stdout, clean(out, 4096))}\n`);
  return 0;
}

function checkRunDir(dir: string): string {
  const runDir = path.resolve(dir);
  checkRunFolder(runDir, dir);
  return runDir;
}

/** `--compare a b … --out FILE`: the runs merged by core/compare into one self-contained page. */
function compareReport(dirs: string[], out: string | undefined): number {
  const how = 'it takes: actlab report --compare <runDir> <runDir>... --out FILE';
  if (dirs.length < 2) throw new UsageError('--compare needs at least two run folders', how, RUN_HINT);
  if (!out) throw new UsageError('--compare needs --out FILE', how, 'add `--out comparison.html`');
  const { html } = comparisonPage(dirs.map(checkRunDir), buildReportHtml);
  const file = path.resolve(out);
  writeFileAtomic(file, html);
  process.stdout.write(`${fileLink(file, process.stdout, clean(file, 4096))}\n`);
  return 0;
}
