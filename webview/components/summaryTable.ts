/**
 * The run summary as a table, from src/core/summary.ts — the same function that writes
 * summary.json, so the numbers here are those numbers. Click a header to sort (descending,
 * ascending, back to config order); the best arm's cell in each metric column is marked.
 */
import type { ArmSummary, Stat, Summary } from '../../src/core/summary';
import { el } from './dom';

interface Column {
  key: string;
  title: string;
  /** Undefined: not a metric column (text only). */
  stat?: (a: ArmSummary) => Stat | undefined;
  better?: 'high' | 'low';
  format?: (s: Stat) => string;
  text?: (a: ArmSummary) => string;
  width: string;
}

const pct = (s: Stat): string => `${(100 * s.mean).toFixed(2)} ± ${(100 * s.std).toFixed(2)} %`;
const num = (s: Stat): string => `${s.mean.toPrecision(4)} ± ${s.std.toPrecision(2)}`;
const secs = (s: Stat): string => `${s.mean.toFixed(1)} s`;

export const COLUMNS: Column[] = [
  { key: 'arm', title: 'Arm', text: (a) => a.label, width: '20%' },
  { key: 'finalTestAccuracy', title: 'Final test acc.', stat: (a) => a.finalTestAccuracy, better: 'high', format: pct, width: '12%' },
  { key: 'bestTestAccuracy', title: 'Best test acc.', stat: (a) => a.bestTestAccuracy, better: 'high', format: pct, width: '12%' },
  { key: 'finalTestLoss', title: 'Final test loss', stat: (a) => a.finalTestLoss, better: 'low', format: num, width: '11%' },
  { key: 'bestTestLoss', title: 'Best test loss', stat: (a) => a.bestTestLoss, better: 'low', format: num, width: '11%' },
  { key: 'deadMean', title: 'Dead |mean|<τ', stat: (a) => a.deadMean, format: pct, width: '10%' },
  { key: 'deadGrad', title: 'Dead (grad)', stat: (a) => a.deadGrad, format: pct, width: '10%' },
  { key: 'seconds', title: 'Time', stat: (a) => a.seconds, better: 'low', format: secs, width: '6%' },
  { key: 'backend', title: 'Backend', text: (a) => `${a.backend ?? '—'} · ${a.completed}/${a.jobs}`, width: '8%' },
];

/** Arm indices in display order. */
export function sortArms(arms: readonly ArmSummary[], key: string, dir: 1 | -1): number[] {
  const idx = arms.map((_, i) => i);
  const col = COLUMNS.find((c) => c.key === key);
  if (!col) return idx;
  const val = (a: ArmSummary): number | string | undefined => (col.stat ? col.stat(a)?.mean : col.text?.(a));
  return idx.sort((i, j) => {
    const a = val(arms[i]!); const b = val(arms[j]!);
    if (a === undefined || b === undefined) return a === b ? i - j : a === undefined ? 1 : -1;
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return c === 0 ? i - j : dir * c;
  });
}

export class SummaryTable {
  private readonly table: HTMLElement;
  private readonly body: HTMLElement;
  private readonly headers = new Map<string, HTMLElement>();
  private summary: Summary | undefined;

  constructor(parent: HTMLElement, private sortKey: string, private sortDir: 1 | -1, private readonly onSort: (key: string, dir: 1 | -1) => void) {
    this.table = parent.appendChild(document.createElement('vscode-table'));
    this.table.id = 'summary-table';
    this.table.setAttribute('zebra', '');
    this.table.setAttribute('bordered-rows', '');
    (this.table as HTMLElement & { columns: string[] }).columns = COLUMNS.map((c) => c.width);
    const header = this.table.appendChild(document.createElement('vscode-table-header'));
    header.setAttribute('slot', 'header');
    for (const c of COLUMNS) {
      const h = header.appendChild(document.createElement('vscode-table-header-cell'));
      h.dataset.key = c.key;
      h.className = 'sortable';
      h.setAttribute('role', 'columnheader');
      h.title = 'Sort';
      h.addEventListener('click', () => this.clickHeader(c.key));
      this.headers.set(c.key, h);
    }
    this.body = this.table.appendChild(document.createElement('vscode-table-body'));
    this.body.setAttribute('slot', 'body');
    this.renderHeaders();
  }

  private clickHeader(key: string): void {
    // desc → asc → config order: the last click gets the default back without a reload.
    if (this.sortKey !== key) { this.sortKey = key; this.sortDir = key === 'arm' ? 1 : -1; }
    else if (this.sortDir === (key === 'arm' ? 1 : -1)) this.sortDir = this.sortDir === 1 ? -1 : 1;
    else { this.sortKey = ''; this.sortDir = -1; }
    this.onSort(this.sortKey, this.sortDir);
    this.renderHeaders();
    if (this.summary) this.render(this.summary);
  }

  private renderHeaders(): void {
    for (const c of COLUMNS) {
      const h = this.headers.get(c.key)!;
      const arrow = this.sortKey === c.key ? (this.sortDir === 1 ? ' ▲' : ' ▼') : '';
      h.textContent = c.title + arrow;
      h.setAttribute('aria-sort', this.sortKey === c.key ? (this.sortDir === 1 ? 'ascending' : 'descending') : 'none');
    }
  }

  render(summary: Summary): void {
    this.summary = summary;
    const bestIdx = new Map<string, number>();
    for (const c of COLUMNS) {
      if (!c.stat || !c.better) continue;
      let best = -1; let bv = 0; let tie = false; let withValue = 0;
      summary.arms.forEach((a, i) => {
        const v = c.stat!(a)?.mean;
        if (v === undefined || !Number.isFinite(v)) return;
        withValue++;
        if (best >= 0 && v === bv) tie = true;
        else if (best < 0 || (c.better === 'high' ? v > bv : v < bv)) { best = i; bv = v; tie = false; }
      });
      // "Best" must single one arm out of at least two with numbers: a tie marks nothing.
      if (best >= 0 && !tie && withValue > 1) bestIdx.set(c.key, best);
    }
    const rows = sortArms(summary.arms, this.sortKey, this.sortDir).map((i) => {
      const a = summary.arms[i]!;
      const row = document.createElement('vscode-table-row');
      row.dataset.armId = a.armId;
      for (const c of COLUMNS) {
        const cell = row.appendChild(document.createElement('vscode-table-cell'));
        cell.dataset.key = c.key;
        // vscode-table sizes only the first row it saw; rows are re-rendered here, so size every cell.
        cell.style.width = c.width;
        if (c.stat) {
          const s = c.stat(a);
          cell.textContent = s ? c.format!(s) : '—';
          if (s) { cell.dataset.mean = String(s.mean); cell.dataset.std = String(s.std); cell.title = `n = ${s.n}, min ${s.min.toPrecision(4)}, max ${s.max.toPrecision(4)}`; }
          if (bestIdx.get(c.key) === i) { cell.classList.add('best'); cell.title = `best · ${cell.title}`; }
        } else {
          cell.textContent = c.text!(a);
          if (c.key === 'arm' && summary.best?.armId === a.armId && summary.arms.length > 1) {
            cell.classList.add('best-arm');
            cell.appendChild(el('span', 'star', ' ★'));
          }
        }
      }
      return row;
    });
    this.body.replaceChildren(...rows);
  }
}
