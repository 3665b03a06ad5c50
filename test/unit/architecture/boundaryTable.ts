/**
 * docs/ARCHITECTURE.md's Boundaries table, read as data: the document is the one source of the
 * rules the boundaries test enforces. A row's first column names its folders in `code`; in its
 * last column every `code` word is something the folder may import (see ./classify.ts). A row
 * whose last column has none ("everything", "—") is not checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sources';

export const ARCHITECTURE_DOC = 'docs/ARCHITECTURE.md';

export interface BoundaryRow {
  /** Repository-relative folders, without a trailing '/'. */
  folders: string[];
  /** What it may import (folder keys, `node`, `tfjs`, `vscode`, package names); empty: not checked. */
  allowed: string[];
}

const codeWords = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The name other rows use for a folder: its last path segment ('src/core' → 'core'). */
export const folderKey = (folder: string): string => folder.split('/').pop()!;

export function parseBoundaryTable(markdown: string): BoundaryRow[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Boundaries'));
  if (!section) throw new Error(`${ARCHITECTURE_DOC} has no "## Boundaries" section`);
  const lines = section.split('\n').filter((l) => l.trimStart().startsWith('|'));
  // The header and the |---| separator line.
  return lines.slice(2).map((line) => {
    const cells = line.trim().replace(/^\||\|$/g, '').split('|');
    if (cells.length < 3) throw new Error(`${ARCHITECTURE_DOC}: a Boundaries row needs three columns: ${line}`);
    return {
      folders: codeWords(cells[0]!).map((f) => f.replace(/\/+$/, '')),
      allowed: codeWords(cells[cells.length - 1]!),
    };
  });
}

export const boundaryTable = (): BoundaryRow[] =>
  parseBoundaryTable(readFileSync(join(ROOT, ARCHITECTURE_DOC), 'utf8'));
