/**
 * What an import refers to, in the Boundaries table's words: a folder key ('core', 'runner',
 * ...) for a relative import, 'node' for Node's built-ins, 'tfjs' for @tensorflow/*, 'vscode',
 * or the package's name. Relative imports are resolved against the importing file's folder.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { folderKey, type BoundaryRow } from './boundaryTable';

export type Target =
  | { kind: 'folder'; key: string; path: string }
  | { kind: 'outside'; path: string }
  | { kind: 'node' }
  | { kind: 'package'; name: string };

const BUILTINS = new Set(builtinModules);

/** '@scope/name/deep/path' → '@scope/name'; 'name/deep' → 'name'. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The table folder holding a repository path (the longest match), if any. */
export function folderOf(path: string, rows: readonly BoundaryRow[]): string | undefined {
  let best: string | undefined;
  for (const row of rows) {
    for (const f of row.folders) {
      if ((path === f || path.startsWith(`${f}/`)) && (!best || f.length > best.length)) best = f;
    }
  }
  return best;
}

export function classify(file: string, specifier: string, rows: readonly BoundaryRow[]): Target {
  if (specifier.startsWith('.')) {
    const path = posix.normalize(posix.join(posix.dirname(file), specifier));
    const folder = folderOf(path, rows);
    return folder ? { kind: 'folder', key: folderKey(folder), path } : { kind: 'outside', path };
  }
  if (specifier.startsWith('node:') || BUILTINS.has(packageName(specifier))) return { kind: 'node' };
  return { kind: 'package', name: packageName(specifier) };
}

/** The table's words for a target: a package may be allowed by name, by `scope/*` or as `tfjs`. */
export function targetWords(t: Target): string[] {
  switch (t.kind) {
    case 'folder': return [t.key];
    case 'outside': return [];
    case 'node': return ['node'];
    case 'package': {
      const words = [t.name];
      if (t.name.startsWith('@')) words.push(`${t.name.split('/')[0]}/*`);
      if (t.name.startsWith('@tensorflow/')) words.push('tfjs');
      return words;
    }
  }
}

export const targetText = (t: Target): string =>
  t.kind === 'node' ? 'node' : t.kind === 'package' ? t.name : t.kind === 'folder' ? `${t.key} (${t.path})` : t.path;
