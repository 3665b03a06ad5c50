/**
 * `actlab`: run, validate, list and report experiments from a terminal.
 * Exit codes: 0 ok; 1 a run that did not fully complete, or validation errors; 2 usage error or
 * invalid config for `run`.
 */
import { version } from '../../package.json';
import { listCommand } from './commands/list';
import { mergeCommand } from './commands/merge';
import { planCommand } from './commands/plan';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';
import { runJobCommand } from './commands/runJob';
import { submitCommand } from './commands/submit';
import { validateCommand } from './commands/validate';
import { UsageError } from './usage';

const HELP = `actlab ${version} — Activation Lab experiments from the command line

Usage:
  actlab run <config> [--out DIR] [--backend auto|tensorflow|wasm|cpu] [--parallel N] [--threads N] [--json] [--quiet]
  actlab validate <config...>
  actlab list [DIR]
  actlab report <runDir>
  actlab plan <config> [--out DIR] [--backend NAME]
  actlab run-job <runDir> [--index I] [--threads N]
  actlab merge <runDir>
  actlab submit slurm|k8s <runDir> [--parallel K] [options]

Options:
  -h, --help     help (also per command: actlab run --help)
  -v, --version  print the version
`;

const COMMANDS: Record<string, (args: string[]) => Promise<number> | number> = {
  run: runCommand,
  validate: validateCommand,
  list: listCommand,
  report: reportCommand,
  plan: planCommand,
  'run-job': runJobCommand,
  merge: mergeCommand,
  submit: submitCommand,
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '-v' || cmd === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    process.stderr.write(`actlab: unknown command '${cmd}'\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`actlab ${cmd}: ${e.message}\n${e.help ? `\n${e.help}` : ''}`);
      return 2;
    }
    process.stderr.write(`actlab ${cmd}: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.stderr.write(`actlab: ${String(e)}\n`); process.exitCode = 1; },
);
