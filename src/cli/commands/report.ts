import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReportHtml } from '../../report/reportHtml';
import { writeReportFile } from '../../runner/reportFile';
import { CONFIG_FILE } from '../../runner/runStore';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `Usage: actlab report <runDir>

(Re)writes <runDir>/report.html, a self-contained page of the run, and prints its path.
`;

export function reportCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h', default: false } }, HELP);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one run folder', HELP);
  const runDir = path.resolve(positionals[0]);
  if (!fs.existsSync(path.join(runDir, CONFIG_FILE))) throw new UsageError(`${positionals[0]} is not a run folder (no ${CONFIG_FILE})`, HELP);
  process.stdout.write(`${writeReportFile(runDir, buildReportHtml)}\n`);
  return 0;
}
