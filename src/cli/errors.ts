/**
 * Errors a user sees: what went wrong, why, and what to do — three lines, never a stack trace.
 * Commands throw a CliError; main prints it and exits with its code.
 */
import { clean, wrap } from './terminal';

export class CliError extends Error {
  constructor(
    /** What failed, from the user's point of view ("cannot read the run's config.json"). */
    readonly what: string,
    /** Why: the cause, in words ("it is not valid JSON: …"). */
    readonly why: string,
    /** What to do next: a command to run, a file to fix. */
    readonly fix: string,
    /** 2: bad usage or input (the documented code for both); 1: a run that did not complete. */
    readonly exitCode = 2,
  ) {
    super(what);
  }
}

/** A bad command line (exit 2). */
export class UsageError extends CliError {}

/** The three lines, wrapped to `width` (continuations indented under their text). */
export function formatError(prefix: string, e: CliError, width: number): string {
  const lines = [
    ...wrap(`${prefix}: ${clean(e.what)}`, width, '    '),
    ...wrap(`  why: ${clean(e.why)}`, width, '       '),
    ...wrap(`  fix: ${clean(e.fix)}`, width, '       '),
  ];
  return `${lines.join('\n')}\n`;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EMFILE: 'too many open files',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
};

/** A file-system error code in words ("it does not exist (ENOENT)"). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_REASONS[code]) return `${FS_REASONS[code]} (${code})`;
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}
