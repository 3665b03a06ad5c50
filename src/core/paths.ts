/**
 * The little path arithmetic core needs (an idx folder relative to its config), without
 * node:path: core also runs in the browser. POSIX paths, plus Windows drive and UNC paths
 * (`C:\data`, `\\server\share`), whose separator the result keeps.
 */

const WINDOWS_ROOT = /^([a-zA-Z]:)?[\\/]/;

function isWindowsStyle(p: string): boolean {
  return /^[a-zA-Z]:/.test(p) || (p.includes('\\') && !p.includes('/'));
}

export function isAbsolutePath(p: string): boolean {
  return isWindowsStyle(p) ? WINDOWS_ROOT.test(p) : p.startsWith('/');
}

/** The folder of a file path (`/a/b.json` → `/a`). */
export function dirnamePath(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), isWindowsStyle(p) ? p.lastIndexOf('\\') : -1);
  if (i < 0) return '.';
  if (i === 0) return p.slice(0, 1);
  const dir = p.slice(0, i);
  return /^[a-zA-Z]:$/.test(dir) ? `${dir}${p[i]}` : dir;
}

/**
 * `rel` against `base`, with `.` and `..` folded and no trailing separator, as node's
 * path.resolve: a relative result is taken against the working folder where there is one.
 */
export function resolvePath(base: string, rel: string): string {
  let full = isAbsolutePath(rel) ? rel : `${base}/${rel}`;
  const cwd = workingDir();
  if (!isAbsolutePath(full) && cwd !== undefined) full = `${cwd}/${full}`;
  const windows = isWindowsStyle(base) || isWindowsStyle(rel);
  const sep = windows ? '\\' : '/';
  const root = windows ? (full.match(WINDOWS_ROOT)?.[0] ?? '') : full.startsWith('/') ? '/' : '';
  const parts: string[] = [];
  for (const seg of full.slice(root.length).split(windows ? /[\\/]/ : '/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else if (seg !== '..' || !root) parts.push(seg);
  }
  const r = root.replace(/[\\/]$/, sep);
  return r + parts.join(sep) || (r ? r : '.');
}

/** The working folder where there is one (Node); core in a browser keeps paths relative. */
export function workingDir(): string | undefined {
  const proc = (globalThis as { process?: { cwd?: () => string } }).process;
  return typeof proc?.cwd === 'function' ? proc.cwd() : undefined;
}
