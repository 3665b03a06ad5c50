/** Paths as a user would type them: relative to the current folder when inside it, quoted
 * for a POSIX shell when they hold anything but the usual characters. */
import * as path from 'node:path';
import { clean } from './terminal';

export function shown(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  const s = rel === '' ? '.' : !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
  return clean(s, 4096);
}

/** `shown`, quoted so that it can be pasted into a command. */
export function shellArg(p: string, cwd = process.cwd()): string {
  const s = shown(p, cwd);
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
