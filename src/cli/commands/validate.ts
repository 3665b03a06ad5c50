import * as path from 'node:path';
import { HELP_OPTION, formatCommandHelp, helpWidth, type CommandHelp } from '../help';
import { loadConfigFile } from '../loadConfig';
import { clean } from '../terminal';
import { parseCommandArgs, UsageError } from '../usage';

export const VALIDATE_HELP: CommandHelp = {
  name: 'validate',
  summary: 'check configs without running them (file:line:col per problem)',
  usage: 'validate <config...>',
  description: 'Checks experiment configs without running them. Prints one line per problem, '
    + '"file:line:col: severity: message [code]", or "file: ok (N jobs)" for a config without errors.',
  options: [HELP_OPTION],
  examples: ['actlab validate examples/quickstart.actlab.json', 'actlab validate examples/*.actlab.json'],
  notes: ['Exit codes: 0 no errors; 1 a config has an error.'],
};

export function validateCommand(args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h', default: false } }, 'validate');
  if (values.help) {
    process.stdout.write(formatCommandHelp(VALIDATE_HELP, helpWidth(process.stdout)));
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError('no config to validate', '`actlab validate` checks the config files named after it',
      'name one or more, e.g. `actlab validate examples/quickstart.actlab.json`');
  }
  let failed = false;
  for (const file of positionals) {
    const loaded = loadConfigFile(path.resolve(file), file, false);
    for (const m of loaded.messages) process.stdout.write(`${clean(m, 2000)}\n`);
    if (loaded.errors > 0) failed = true;
    else process.stdout.write(`${clean(file)}: ok (${loaded.jobCount ?? '?'} job${loaded.jobCount === 1 ? '' : 's'})\n`);
  }
  return failed ? 1 : 0;
}
