/** Quoting for the scripts and commands we print, so paths with spaces or quotes survive. */

/** A word for sh/bash: bare when it is plainly safe, otherwise in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const shellCommand = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');
