/**
 * A plain-text table fitted to a width: wrapping columns (names) are narrowed and wrap onto
 * more lines; when that is not enough, columns are dropped (least useful first); as a last
 * resort other cells are cut with an ellipsis. A wrapped table line could never be read, so nothing runs past `width`.
 */
import { textWidth, truncate, wrap } from './terminal';

export interface Column {
  header: string;
  /** One cell per row; already cleaned of control characters. */
  cells: string[];
  /** When the table is too wide, columns with the lowest dropOrder go first; without one a
   * column is always shown. */
  dropOrder?: number;
  /** Wraps onto more lines instead of being cut (arm names). */
  wrap?: boolean;
  /** Prefix of a wrapped cell's continuation lines. */
  indent?: string;
  minWidth?: number;
}

export interface FittedTable {
  lines: string[];
  /** Headers of the columns left out to fit. */
  dropped: string[];
}

const GAP = 2;

export function fitTable(columns: Column[], width: number): FittedTable {
  let cols = [...columns];
  const natural = (c: Column): number => Math.max(textWidth(c.header), ...c.cells.map(textWidth));
  const total = (ws: number[]): number => ws.reduce((s, w) => s + w, 0) + GAP * Math.max(ws.length - 1, 0);
  const dropped: string[] = [];
  // Narrowest a column gets: wrapping ones down to their minWidth, the others not at all (a
  // column is dropped before an id or a number is cut).
  const narrowest = (c: Column): number => (c.wrap ? Math.min(natural(c), c.minWidth ?? 12) : natural(c));
  while (total(cols.map(narrowest)) > width) {
    const candidates = cols.filter((c) => c.dropOrder !== undefined);
    if (candidates.length === 0) break;
    const drop = candidates.reduce((a, b) => ((b.dropOrder ?? 0) < (a.dropOrder ?? 0) ? b : a));
    dropped.push(drop.header);
    cols = cols.filter((c) => c !== drop);
  }
  // Dropping the least needed first can overshoot (a wide one went after a narrow one that
  // would then have fit): put back what fits, most needed first, in its place.
  for (const header of [...dropped].reverse()) {
    const col = columns.find((c) => c.header === header) as Column;
    const trial = columns.filter((c) => cols.includes(c) || c === col);
    if (total(trial.map(narrowest)) <= width) {
      cols = trial;
      dropped.splice(dropped.indexOf(header), 1);
    }
  }
  const widths = cols.map(natural);
  // Narrow what wraps, then cut the widest of the rest, until it fits (or nothing can give).
  const shrink = (pick: (c: Column) => boolean, floor: (c: Column) => number): void => {
    for (;;) {
      const excess = total(widths) - width;
      if (excess <= 0) return;
      let idx = -1;
      cols.forEach((c, i) => { if (pick(c) && widths[i] > floor(c) && (idx < 0 || widths[i] > widths[idx])) idx = i; });
      if (idx < 0) return;
      widths[idx] = Math.max(floor(cols[idx]), widths[idx] - excess);
    }
  };
  shrink((c) => c.wrap === true, (c) => c.minWidth ?? 12);
  shrink((c) => c.wrap !== true, (c) => Math.max(c.minWidth ?? 4, Math.min(textWidth(c.header), 8)));

  const render = (cells: string[]): string[] => {
    const parts = cells.map((cell, i) => (cols[i].wrap ? wrap(cell, widths[i], cols[i].indent ?? '') : [truncate(cell, widths[i])]));
    const height = Math.max(...parts.map((p) => p.length));
    const out: string[] = [];
    for (let l = 0; l < height; l++) {
      out.push(parts.map((p, i) => {
        const text = p[l] ?? '';
        return text + ' '.repeat(Math.max(widths[i] - textWidth(text), 0));
      }).join(' '.repeat(GAP)).trimEnd());
    }
    return out;
  };
  const rows = cols.length ? cols[0].cells.map((_, r) => cols.map((c) => c.cells[r])) : [];
  const lines = [
    ...render(cols.map((c) => c.header)),
    widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)),
    ...rows.flatMap(render),
  ];
  return { lines, dropped };
}
