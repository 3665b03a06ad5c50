import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad command line: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly help?: string) {
    super(message);
  }
}

/** node:util parseArgs, strict, with its errors turned into usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, help: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message, help);
  }
}
