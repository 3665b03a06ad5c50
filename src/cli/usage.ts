import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';
import { closest } from './suggest';

export { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The option named in one of node:util's parse errors ("Unknown option '--bogus'. To …"). */
function optionIn(message: string): string | undefined {
  return /^(?:Unknown option|Option) '([^']+)'/.exec(message)?.[1];
}

/** node:util parseArgs, strict; its errors become three-line usage errors (its own messages
 * end in advice with an unbalanced quote, and name no valid option). */
export function parseCommandArgs<T extends Options>(args: string[], options: T, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const seeHelp = `see \`actlab ${command} --help\``;
    const names = Object.keys(options);
    const given = optionIn(err.message) ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const bare = given.replace(/^-+/, '').split('=')[0];
      const guess = closest(bare, names);
      throw new UsageError(
        `unknown option ${given}`,
        `\`actlab ${command}\` takes ${names.map((n) => `--${n}`).join(', ')}`,
        guess ? `did you mean --${guess}? (${seeHelp})` : seeHelp,
      );
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesValue = / argument missing/.test(err.message);
      const flag = given.split(',').pop()?.trim().split(' ')[0] ?? given;
      throw new UsageError(
        takesValue ? `${flag} needs a value` : `${flag} takes no value`,
        takesValue ? `it was the last word of the command line, or followed by another option` : `it is a switch: present or absent`,
        takesValue ? `write it as ${given.replace(/^.*?(--\S+)/, '$1')}; ${seeHelp}` : `drop the "=…" after it; ${seeHelp}`,
      );
    }
    throw new UsageError(err.message.split('. ')[0], 'the command line could not be parsed', seeHelp);
  }
}
