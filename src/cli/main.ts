/**
 * `actlab`: run, validate, list and report experiments from a terminal.
 * Exit codes: 0 ok; 1 a run that did not fully complete, or validation errors; 2 usage error or
 * invalid config for `run`.
 */
import { version } from '../../package.json';
import { listCommand, LIST_HELP } from './commands/list';
import { mergeCommand, MERGE_HELP } from './commands/merge';
import { planCommand, PLAN_HELP } from './commands/plan';
import { reportCommand, REPORT_HELP } from './commands/report';
import { runCommand, RUN_HELP } from './commands/run';
import { runJobCommand, RUN_JOB_HELP } from './commands/runJob';
import { submitCommand, SUBMIT_HELP } from './commands/submit';
import { validateCommand, VALIDATE_HELP } from './commands/validate';
import { CliError, formatError, UsageError } from './errors';
import { formatMainHelp, helpWidth, type CommandHelp } from './help';
import { closest } from './suggest';
import { clean, terminalWidth } from './terminal';

interface Command { help: CommandHelp; run(args: string[]): Promise<number> | number }

const COMMANDS: Record<string, Command> = {
  run: { help: RUN_HELP, run: runCommand },
  validate: { help: VALIDATE_HELP, run: validateCommand },
  list: { help: LIST_HELP, run: listCommand },
  report: { help: REPORT_HELP, run: reportCommand },
  plan: { help: PLAN_HELP, run: planCommand },
  submit: { help: SUBMIT_HELP, run: submitCommand },
  'run-job': { help: RUN_JOB_HELP, run: runJobCommand },
  merge: { help: MERGE_HELP, run: mergeCommand },
};
const NAMES = Object.keys(COMMANDS);

const mainHelp = (): string => formatMainHelp(version, Object.values(COMMANDS).map((c) => c.help), helpWidth(process.stdout));

function unknownCommand(cmd: string): UsageError {
  const guess = cmd.startsWith('-') ? undefined : closest(cmd, NAMES);
  return new UsageError(
    cmd.startsWith('-') ? `unknown option ${cmd}` : `unknown command '${cmd}'`,
    `actlab's commands are ${NAMES.join(', ')}; options come after the command`,
    guess ? `did you mean \`actlab ${guess}\`? (see \`actlab --help\`)` : 'see `actlab --help`, or start with `actlab run examples/quickstart.actlab.json`',
  );
}

/** An error nobody planned for: still three lines; the stack only when asked for. */
function unexpected(e: unknown): CliError {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new CliError('an unexpected error stopped the command', message,
    'rerun with ACTLAB_DEBUG=1 to see where it happened, and report it with that output', 1);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    const topic = cmd === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    if (topic) return topic.run(['--help']);
    // No command at all is a usage error (exit 2) that still shows the way in.
    (cmd === undefined ? process.stderr : process.stdout).write(mainHelp());
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '-v' || cmd === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const width = terminalWidth(process.stderr);
  const command = COMMANDS[cmd];
  if (!command) {
    process.stderr.write(formatError('actlab', unknownCommand(cmd), width));
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const err = e instanceof CliError ? e : unexpected(e);
    process.stderr.write(formatError(`actlab ${cmd}`, err, width));
    if (!(e instanceof CliError) && process.env.ACTLAB_DEBUG && e instanceof Error) process.stderr.write(`${e.stack ?? e.message}\n`);
    return err.exitCode;
  }
}

// `actlab list | head`: a reader that stops early is not an error (and not a stack trace).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.stderr.write(`actlab: ${clean(String(e))}\n`); process.exitCode = 1; },
);
