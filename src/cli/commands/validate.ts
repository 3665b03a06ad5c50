import * as path from 'node:path';
import { loadConfigFile } from '../loadConfig';
import { parseCommandArgs, UsageError } from '../usage';

const HELP = `Usage: actlab validate <config...>

Checks experiment configs. Prints one line per problem: file:line:col: severity: message [code],
or "file: ok (N jobs)" for a config without errors. Exit code 1 if any config has an error.
`;

export function validateCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h', default: false } }, HELP);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expected at least one config file', HELP);
  let failed = false;
  for (const file of positionals) {
    const loaded = loadConfigFile(path.resolve(file), file, false);
    for (const m of loaded.messages) process.stdout.write(`${m}\n`);
    if (loaded.errors > 0) failed = true;
    else process.stdout.write(`${file}: ok (${loaded.jobCount ?? '?'} job${loaded.jobCount === 1 ? '' : 's'})\n`);
  }
  return failed ? 1 : 0;
}
